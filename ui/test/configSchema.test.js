import assert from "node:assert/strict";
import { test } from "node:test";
import {
  describePath, expandDefaults, fieldsAt, indexConfigTypes, removeExtra, scaffoldMissing, typeAtPath, typeName,
} from "../src/lib/configSchema.js";
import { ALL_CONFIG_TYPES } from "./fixtures.js";

const types = indexConfigTypes(ALL_CONFIG_TYPES);

test("scaffold fills required fields only, keeping what is written", () => {
  assert.deepEqual(scaffoldMissing(types, "Root", {}), { ops: { load: { config: { path: "" } } } });
  const kept = scaffoldMissing(types, "Root", { ops: { load: { config: { retries: 5 } } } });
  assert.deepEqual(kept, { ops: { load: { config: { retries: 5, path: "" } } } });
});

test("remove extra drops undeclared keys at any depth and reports their paths", () => {
  const { value, removed } = removeExtra(types, "Root", {
    ops: { load: { config: { path: "a", colour: "red" } }, ghost: {} },
    nonsense: 1,
  });
  assert.deepEqual(value, { ops: { load: { config: { path: "a" } } } });
  assert.deepEqual(removed, [["ops", "load", "config", "colour"], ["ops", "ghost"], ["nonsense"]]);
});

test("remove extra looks inside a Noneable shape", () => {
  const { value } = removeExtra(types, "Root", { ops: { load: { config: { path: "a", auth: { user: "u", x: 1 } } } } });
  assert.deepEqual(value.ops.load.config.auth, { user: "u" });
});

test("expand defaults writes each default, and shapes whose fields have defaults", () => {
  const out = expandDefaults(types, "Root", { ops: { load: { config: { path: "a" } } } });
  assert.deepEqual(out.ops.load.config, { path: "a", retries: 3, mode: "fast" });
  assert.deepEqual(out.loggers, {});
  // a selector never gains a second branch
  assert.equal("execution" in out, false);
  const sel = expandDefaults(types, "Root", { execution: { multiprocess: {} } });
  assert.deepEqual(sel.execution, { multiprocess: { max_concurrent: 0 } });
});

test("expand defaults keeps written values over defaults", () => {
  const out = expandDefaults(types, "Root", { ops: { load: { config: { path: "a", retries: 9 } } } });
  assert.equal(out.ops.load.config.retries, 9);
});

test("types along a path, through lists and Noneable", () => {
  assert.equal(typeAtPath(types, "Root", ["ops", "load", "config", "labels", 0]).key, "String");
  assert.equal(typeAtPath(types, "Root", ["ops", "load", "config", "auth", "port"]).key, "Int");
  assert.equal(typeAtPath(types, "Root", ["ops", "nope"]), null);
  assert.deepEqual(fieldsAt(types, "Root", ["ops", "load", "config", "auth"]).map((f) => f.name), ["user", "port"]);
  assert.deepEqual(fieldsAt(types, "Root", ["ops", "load", "config", "path"]), []);
});

test("type names read as written", () => {
  assert.equal(typeName(types, "Array.String"), "[String]");
  assert.equal(typeName(types, "Noneable.Auth"), "shape?");
  assert.equal(typeName(types, "Mode"), "fast | safe");
  assert.equal(typeName(types, "Exec"), "one of: in_process, multiprocess");
});

test("hover text names the type, whether required, the default and the description", () => {
  assert.equal(describePath(types, "Root", ["ops", "load", "config", "path"]), "path: String\nrequired\nwhere to read from");
  assert.equal(describePath(types, "Root", ["ops", "load", "config", "retries"]), "retries: Int\ndefault: 3");
  assert.equal(describePath(types, "Root", ["ops", "zzz"]), null);
});
