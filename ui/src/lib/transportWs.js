// A small client of the `graphql-transport-ws` protocol (the WebSocket subprotocol of that
// name): connection_init → connection_ack, then subscribe / next / error / complete, and
// pong to the server's pings. It takes a socket factory so tests drive it with a fake.

export const SUBPROTOCOL = "graphql-transport-ws";

export class TransportWsClient {
  /**
   * @param {() => {send(data: string): void, close(code?: number): void, onopen: any, onmessage: any, onclose: any, onerror: any}} makeSocket
   */
  constructor(makeSocket) {
    this.makeSocket = makeSocket;
    this.socket = null;
    this.acked = false;
    this.nextId = 1;
    this.subs = new Map(); // id -> {payload, onNext, onError, onComplete}
    this.pending = []; // messages waiting for the ack
    this.closed = false;
  }

  /**
   * Start a subscription. Returns a function that stops it.
   * @param {{query: string, variables?: object}} payload
   * @param {{onNext: (data: any) => void, onError: (err: any) => void, onComplete?: () => void}} handlers
   */
  subscribe(payload, handlers) {
    const id = String(this.nextId++);
    this.subs.set(id, { payload, ...handlers });
    this.#ensureSocket();
    this.#send({ id, type: "subscribe", payload });
    return () => {
      if (this.subs.delete(id) && this.socket && this.acked) this.#send({ id, type: "complete" });
      if (this.subs.size === 0) this.close();
    };
  }

  close() {
    this.closed = true;
    this.socket?.close(1000);
    this.socket = null;
  }

  #ensureSocket() {
    if (this.socket) return;
    this.closed = false;
    const s = this.makeSocket();
    this.socket = s;
    this.acked = false;
    s.onopen = () => s.send(JSON.stringify({ type: "connection_init", payload: {} }));
    s.onmessage = (ev) => this.#onMessage(JSON.parse(typeof ev === "string" ? ev : ev.data));
    const fail = (reason) => {
      if (this.socket !== s) return;
      this.socket = null;
      if (this.closed) return;
      for (const [, sub] of this.subs) sub.onError({ message: `subscription connection lost: ${reason}` });
      this.subs.clear();
    };
    s.onclose = (ev) => fail(ev?.reason || `closed (${ev?.code ?? "?"})`);
    s.onerror = () => fail("socket error");
  }

  #send(msg) {
    if (!this.acked) {
      this.pending.push(msg);
      return;
    }
    this.socket?.send(JSON.stringify(msg));
  }

  #onMessage(msg) {
    switch (msg.type) {
      case "connection_ack": {
        this.acked = true;
        const queued = this.pending;
        this.pending = [];
        for (const m of queued) this.#send(m);
        break;
      }
      case "ping":
        this.socket?.send(JSON.stringify({ type: "pong" }));
        break;
      case "next":
        this.subs.get(msg.id)?.onNext(msg.payload);
        break;
      case "error":
        this.subs.get(msg.id)?.onError(Array.isArray(msg.payload) ? msg.payload[0] : msg.payload);
        this.subs.delete(msg.id);
        break;
      case "complete":
        this.subs.get(msg.id)?.onComplete?.();
        this.subs.delete(msg.id);
        break;
      default:
        break;
    }
  }
}
