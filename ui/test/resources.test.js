import assert from "node:assert/strict";
import { test } from "node:test";
import { configFields } from "../src/lib/resources.js";

test("config fields from a resource's JSON Schema", () => {
  const fields = configFields({
    type: "object",
    properties: { url: { type: "string", description: "where" }, timeout: { type: "integer", default: 30 } },
    required: ["url"],
  });
  assert.deepEqual(fields, [
    { name: "url", description: "where", isRequired: true, defaultValueAsJson: null },
    { name: "timeout", description: null, isRequired: false, defaultValueAsJson: "30" },
  ]);
  assert.deepEqual(configFields(null), []);
});
