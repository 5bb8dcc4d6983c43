import assert from "node:assert/strict";
import { test } from "node:test";
import { configFields, resourceRows } from "../src/lib/resources.js";

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

test("config rows join schema fields and configured values; values without a schema still show", () => {
  const rows = resourceRows(
    { properties: { url: { type: "string" }, timeout: { type: "integer", default: 30 } }, required: ["url"] },
    [{ key: "url", value: '"db"', type: "VALUE" }, { key: "password", value: "PW", type: "ENV_VAR" }],
  );
  assert.deepEqual(rows.map((r) => [r.name, r.value?.type ?? null]), [["url", "VALUE"], ["timeout", null], ["password", "ENV_VAR"]]);
  assert.deepEqual(resourceRows(null, [{ key: "a", value: "1", type: "VALUE" }]).map((r) => r.name), ["a"]);
});
