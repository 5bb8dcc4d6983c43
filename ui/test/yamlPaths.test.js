import assert from "node:assert/strict";
import { test } from "node:test";
import { parseConfigYaml, pathAtOffset, pathAtOffsetParsed, rangeForPath } from "../src/lib/yamlPaths.js";

const DOC = "ops:\n  load:\n    config:\n      path: a\n      labels:\n        - x\n";

test("parse answers the value, or the first syntax error with its place", () => {
  assert.deepEqual(parseConfigYaml(DOC).value.ops.load.config.path, "a");
  assert.deepEqual(parseConfigYaml("").value, {});
  const bad = parseConfigYaml("ops:\n  load: [1,\n");
  assert.equal(bad.ok, false);
  assert.ok(bad.to > bad.from);
});

test("the path at a position is found from indentation, even in half-typed text", () => {
  const text = "ops:\n  load:\n    config:\n      pa";
  assert.deepEqual(pathAtOffset(text, text.length), { path: ["ops", "load", "config"], inKey: true, prefix: "pa" });
  const value = "ops:\n  load:\n    config:\n      mode: ";
  assert.deepEqual(pathAtOffset(value, value.length), { path: ["ops", "load", "config", "mode"], inKey: false, prefix: "" });
});

test("list items put an index in the path", () => {
  const text = "items:\n  - a: 1\n    b";
  assert.deepEqual(pathAtOffset(text, text.length).path, ["items", 0]);
  const nested = "items:\n  - a:\n      x";
  assert.deepEqual(pathAtOffset(nested, nested.length).path, ["items", 0, "a"]);
});

test("hover finds the key under the cursor", () => {
  assert.deepEqual(pathAtOffsetParsed(DOC, DOC.indexOf("path") + 1), ["ops", "load", "config", "path"]);
  assert.deepEqual(pathAtOffsetParsed(DOC, DOC.indexOf("load") + 2), ["ops", "load"]);
});

test("an error's range is the deepest key of its path that exists", () => {
  const r = rangeForPath(DOC, ["ops", "load", "config", "path"]);
  assert.equal(DOC.slice(r.from, r.to), "path");
  const missing = rangeForPath(DOC, ["ops", "load", "config", "retries"]);
  assert.equal(DOC.slice(missing.from, missing.to), "config");
  const root = rangeForPath(DOC, []);
  assert.equal(root.from, 0);
});
