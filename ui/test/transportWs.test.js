import assert from "node:assert/strict";
import { test } from "node:test";
import { TransportWsClient } from "../src/lib/transportWs.js";

function fakeSocket() {
  const s = { sent: [], closedWith: null, send(d) { this.sent.push(JSON.parse(d)); }, close(c) { this.closedWith = c; } };
  return s;
}

test("init, ack, then subscribe; next messages reach the handler; pings get pongs", () => {
  let sock;
  const client = new TransportWsClient(() => (sock = fakeSocket()));
  const got = [];
  const stop = client.subscribe({ query: "subscription { x }" }, { onNext: (d) => got.push(d), onError: assert.fail });
  sock.onopen();
  assert.deepEqual(sock.sent, [{ type: "connection_init", payload: {} }]);
  sock.onmessage({ data: JSON.stringify({ type: "connection_ack" }) });
  assert.deepEqual(sock.sent[1], { id: "1", type: "subscribe", payload: { query: "subscription { x }" } });
  sock.onmessage({ data: JSON.stringify({ type: "next", id: "1", payload: { data: { x: 1 } } }) });
  sock.onmessage({ data: JSON.stringify({ type: "next", id: "9", payload: { data: { x: 2 } } }) });
  assert.deepEqual(got, [{ data: { x: 1 } }]);
  sock.onmessage({ data: JSON.stringify({ type: "ping" }) });
  assert.deepEqual(sock.sent.at(-1), { type: "pong" });
  stop();
  assert.deepEqual(sock.sent.at(-1), { id: "1", type: "complete" });
  assert.equal(sock.closedWith, 1000);
});

test("a lost connection reports to every subscription once", () => {
  let sock;
  const client = new TransportWsClient(() => (sock = fakeSocket()));
  const errors = [];
  client.subscribe({ query: "a" }, { onNext() {}, onError: (e) => errors.push(e.message) });
  client.subscribe({ query: "b" }, { onNext() {}, onError: (e) => errors.push(e.message) });
  sock.onclose({ code: 4400, reason: "bad" });
  sock.onerror();
  assert.deepEqual(errors, ["subscription connection lost: bad", "subscription connection lost: bad"]);
});

test("a server error ends that subscription with its first error", () => {
  let sock;
  const client = new TransportWsClient(() => (sock = fakeSocket()));
  const errors = [];
  client.subscribe({ query: "a" }, { onNext() {}, onError: (e) => errors.push(e.message) });
  sock.onopen();
  sock.onmessage({ data: JSON.stringify({ type: "connection_ack" }) });
  sock.onmessage({ data: JSON.stringify({ type: "error", id: "1", payload: [{ message: "no such run" }] }) });
  assert.deepEqual(errors, ["no such run"]);
  assert.equal(client.subs.size, 0);
});
