import assert from "node:assert/strict";
import { test } from "node:test";
import { indexConfigTypes } from "../src/lib/configSchema.js";
import { completeAt } from "../src/lib/completion.js";
import { ALL_CONFIG_TYPES } from "./fixtures.js";

const types = indexConfigTypes(ALL_CONFIG_TYPES);

test("keys are offered from the schema, without the ones already written", () => {
  const text = "ops:\n  load:\n    config:\n      path: a\n      re";
  const r = completeAt(types, "Root", text, text.length);
  assert.equal(r.from, text.length - 2);
  const labels = r.options.map((o) => o.label);
  assert.ok(labels.includes("retries"));
  assert.ok(!labels.includes("path"));
  const retries = r.options.find((o) => o.label === "retries");
  assert.equal(retries.detail, "Int");
  assert.equal(retries.apply, "retries: ");
});

test("a nested shape's key opens an indented block; required is shown", () => {
  const r = completeAt(types, "Root", "", 0);
  const ops = r.options.find((o) => o.label === "ops");
  assert.equal(ops.apply, "ops:\n  ");
  assert.equal(ops.detail, "shape (required)");
});

test("enum and bool values are offered after the colon", () => {
  const text = "ops:\n  load:\n    config:\n      mode: ";
  assert.deepEqual(completeAt(types, "Root", text, text.length).options.map((o) => o.label), ["fast", "safe"]);
  const b = "ops:\n  load:\n    config:\n      verbose: t";
  const r = completeAt(types, "Root", b, b.length);
  assert.equal(r.from, b.length - 1);
  assert.deepEqual(r.options.map((o) => o.label), ["true", "false"]);
});

test("nothing is offered outside the schema", () => {
  const text = "nope:\n  ";
  assert.deepEqual(completeAt(types, "Root", text, text.length).options, []);
});
