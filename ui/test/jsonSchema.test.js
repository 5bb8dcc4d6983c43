import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { test } from "node:test";
import { describePath, expandDefaults, removeExtra, scaffoldMissing, schemaFromAnswer, typeName } from "../src/lib/configSchema.js";
import { completeAt } from "../src/lib/completion.js";

// What `to_json_schema` writes for a job with one op `load` (see the file for its fields).
const JSON_SCHEMA = JSON.parse(readFileSync(new URL("./etl.schema.json", import.meta.url), "utf8"));
const { types, rootKey } = schemaFromAnswer({ __typename: "RunConfigSchema", jsonSchema: JSON_SCHEMA });

test("scaffold from a JSON Schema fills the required path", () => {
  assert.deepEqual(scaffoldMissing(types, rootKey, {}), { ops: { load: { config: { path: "" } } } });
});

test("expand defaults from a JSON Schema, null defaults left out", () => {
  const out = expandDefaults(types, rootKey, { ops: { load: { config: { path: "a" } } } });
  assert.deepEqual(out.ops.load.config, { path: "a", retries: 3, mode: "fast" });
  assert.deepEqual(out.loggers, { console: { config: { log_level: "INFO", name: "dagster" } } });
});

test("remove extra from a JSON Schema; `execution: {}` (Any) keeps what it has", () => {
  const { value, removed } = removeExtra(types, rootKey, {
    ops: { load: { config: { path: "a", oops: 1 } } }, execution: { multiprocess: {} },
  });
  assert.deepEqual(removed, [["ops", "load", "config", "oops"]]);
  assert.deepEqual(value.execution, { multiprocess: {} });
});

test("types read from a JSON Schema: env sources, enums, Noneable shapes", () => {
  const config = ["ops", "load", "config"];
  assert.equal(describePath(types, rootKey, [...config, "secret"]), "secret: String | {env: NAME}\noptional");
  assert.equal(describePath(types, rootKey, [...config, "path"]), "path: String\nrequired\nwhere to read from");
  const mode = types.get(types.get(rootKey).fields[0].configTypeKey);
  assert.equal(mode.kind, "composite");
  assert.match(typeName(types, rootKey), /shape/);
});

test("completion from a JSON Schema", () => {
  const text = "ops:\n  load:\n    config:\n      mode: ";
  assert.deepEqual(completeAt(types, rootKey, text, text.length).options.map((o) => o.label), ["fast", "safe"]);
  const keys = completeAt(types, rootKey, "", 0).options.map((o) => o.label);
  assert.deepEqual(keys, ["ops", "resources", "execution", "loggers"]);
});

test("a permissive shape keeps unknown keys", () => {
  const s = schemaFromAnswer({ jsonSchema: { type: "object", properties: { a: { type: "integer" } }, additionalProperties: true } });
  assert.deepEqual(removeExtra(s.types, s.rootKey, { a: 1, b: 2 }).value, { a: 1, b: 2 });
});
