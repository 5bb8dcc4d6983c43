import assert from "node:assert/strict";
import { test } from "node:test";
import { href, parseRoute } from "../src/lib/route.js";
import { formatDuration, isRunActive, runsFilterFromQuery, tagsFromRows } from "../src/lib/runsFilter.js";

test("routes parse with their parameter and query", () => {
  assert.equal(parseRoute("").page, "overview");
  assert.equal(parseRoute("#/").page, "overview");
  const r = parseRoute("#/runs/abc-1");
  assert.deepEqual([r.page, r.param], ["run", "abc-1"]);
  assert.deepEqual([parseRoute("#/jobs/etl/launchpad").page, parseRoute("#/jobs/etl/launchpad").param], ["launchpad", "etl"]);
  assert.deepEqual([parseRoute("#/assets/a/b").page, parseRoute("#/assets/a/b").param], ["asset", "a/b"]);
  assert.equal(parseRoute("#/asset-graph").page, "assetGraph");
  assert.deepEqual(parseRoute("#/runs?status=FAILURE&status=SUCCESS").query.getAll("status"), ["FAILURE", "SUCCESS"]);
  assert.equal(parseRoute("#/nowhere").page, "notFound");
});

test("links drop empty query values and repeat lists", () => {
  assert.equal(href("/runs", { status: ["A", "B"], job: "", tag: undefined }), "#/runs?status=A&status=B");
  assert.equal(href("/runs"), "#/runs");
});

test("the runs filter comes from the URL, with bad entries reported", () => {
  const q = new URLSearchParams("status=FAILURE&status=BOGUS&job=etl&tag=team=data&tag=broken");
  const { filter, errors } = runsFilterFromQuery(q);
  assert.deepEqual(filter, { statuses: ["FAILURE"], pipelineName: "etl", tags: [{ key: "team", value: "data" }] });
  assert.deepEqual(errors, ['unknown status "BOGUS"', 'tag filter "broken" must be key=value']);
  assert.deepEqual(runsFilterFromQuery(new URLSearchParams("")).filter, {});
});

test("tag rows: blanks dropped, keyless and duplicate keys reported", () => {
  const { tags, errors } = tagsFromRows([{ key: " team ", value: "x" }, { key: "", value: "" }, { key: "", value: "v" }, { key: "team", value: "y" }]);
  assert.deepEqual(tags, [{ key: "team", value: "x" }, { key: "team", value: "y" }]);
  assert.deepEqual(errors, ['a tag with value "v" has no key', 'tag "team" is set twice']);
});

test("active statuses and durations", () => {
  assert.equal(isRunActive("STARTED"), true);
  assert.equal(isRunActive("SUCCESS"), false);
  assert.equal(formatDuration(5.25), "5.3s");
  assert.equal(formatDuration(125), "2m 5s");
  assert.equal(formatDuration(3720), "1h 2m");
});
