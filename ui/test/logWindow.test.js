import assert from "node:assert/strict";
import { test } from "node:test";
import { LogWindow, PAGE, pageRequest, serverFilter } from "../src/lib/logWindow.js";

test("a page is read by cursor from a neighbour held, else from the nearer end", () => {
  const none = new Map();
  assert.deepEqual(pageRequest(0, 10 * PAGE, none), { offset: 0, fromEnd: false, limit: PAGE });
  assert.deepEqual(pageRequest(8, 10 * PAGE, none), { offset: PAGE, fromEnd: true, limit: PAGE });
  // the last page of a log that does not end on a page boundary is short
  assert.deepEqual(pageRequest(10, 10 * PAGE + 7, none), { offset: 0, fromEnd: true, limit: 7 });
  assert.equal(pageRequest(11, 10 * PAGE + 7, none), null);
  const held = new Map([[4, { start: "400", end: "599" }]]);
  assert.deepEqual(pageRequest(5, 10 * PAGE, held), { afterCursor: "599", offset: 0, fromEnd: false, limit: PAGE });
  assert.deepEqual(pageRequest(3, 10 * PAGE, held), { beforeCursor: "400", offset: 0, fromEnd: true, limit: PAGE });
});

test("the page's filter becomes the server's, lists left out when empty", () => {
  assert.equal(serverFilter({ steps: [], levels: [], types: [], text: "" }), null);
  assert.deepEqual(serverFilter({ steps: ["a"], levels: ["ERROR"], types: [], text: "x" }), { stepKeys: ["a"], levels: ["ERROR"], text: "x" });
});

// A fake server over `n` events whose cursors are their positions (ids 1..n).
function fakeLog(n) {
  const requests = [];
  const read = async (args) => {
    requests.push(args);
    let ids = Array.from({ length: n }, (_, i) => i + 1);
    if (args.afterCursor) ids = ids.filter((i) => i > Number(args.afterCursor));
    if (args.beforeCursor) ids = ids.filter((i) => i < Number(args.beforeCursor));
    const from = args.fromEnd ? Math.max(0, ids.length - args.offset - args.limit) : args.offset;
    const to = args.fromEnd ? ids.length - args.offset : args.offset + args.limit;
    const take = ids.slice(from, to);
    return {
      hasMore: args.fromEnd ? from > 0 : to < ids.length,
      events: take.map((i) => ({ message: `event ${i}` })),
      cursor: String(take.at(-1) ?? ""),
      startCursor: take.length ? String(take[0]) : null,
      count: n,
    };
  };
  return { read, requests };
}

test("a window opens on the tail and reads only the pages in view", async () => {
  const log = fakeLog(1_000_000);
  const win = new LogWindow(log.read, () => {});
  const newest = await win.open();
  assert.equal(newest, "1000000");
  assert.equal(win.total, 1_000_000);
  assert.equal(win.row(999_999).message, "event 1000000");
  assert.equal(win.row(0), undefined);
  win.want(500_000, 500_040);
  await new Promise((r) => setTimeout(r, 0));
  assert.equal(win.row(500_000).message, "event 500001");
  assert.equal(win.row(500_039).message, "event 500040");
  // the next page down is read by cursor from the one held
  win.want(500_190, 500_230);
  await new Promise((r) => setTimeout(r, 0));
  assert.equal(log.requests.at(-1).afterCursor, "500200");
  assert.equal(win.row(500_229).message, "event 500230");
  assert.ok(log.requests.length <= 5, `${log.requests.length} requests`);
});

test("the newest rows show before the count comes, then take their places", async () => {
  const log = fakeLog(1000);
  let release;
  const gate = new Promise((r) => (release = r));
  const read = async (args) => {
    if (args.count) await gate; // the count is slow (it reads the whole view)
    return log.read(args);
  };
  const win = new LogWindow(read, () => {});
  const opening = win.open();
  await new Promise((r) => setTimeout(r, 0));
  assert.equal(win.total, PAGE);
  assert.equal(win.row(PAGE - 1).message, "event 1000");
  release();
  assert.equal(await opening, "1000");
  assert.equal(win.total, 1000);
  assert.equal(win.row(999).message, "event 1000");
  assert.equal(win.row(PAGE - 1), undefined);
});

test("growing a window counts the new events and reads its last page again", async () => {
  const log = fakeLog(250);
  const win = new LogWindow(log.read, () => {});
  await win.open();
  assert.equal(win.row(249).message, "event 250");
  await win.grow(3);
  assert.equal(win.total, 253);
  assert.equal(win.row(252), undefined); // read when in view
});

test("a page landing redraws the list alone when it listens; the count redraws the page", async () => {
  const { read } = fakeLog(10 * PAGE);
  let page = 0;
  let list = 0;
  const win = new LogWindow(read, () => page++);
  win.onRows = () => list++;
  await win.open();
  const afterOpen = page;
  assert.ok(afterOpen > 0); // the count and the newest rows reach the page
  win.want(0, 50);
  await new Promise((r) => setTimeout(r, 10));
  assert.ok(win.row(0));
  assert.equal(list, 1);
  assert.equal(page, afterOpen); // the page around the list was not drawn again
});
