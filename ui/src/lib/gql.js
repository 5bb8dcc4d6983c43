// Talking to the server: GraphQL over HTTP POST, and subscriptions over WebSocket with the
// `graphql-transport-ws` protocol. URLs are relative to the page, so a `--path-prefix`
// deployment works unchanged.
import { SUBPROTOCOL, TransportWsClient } from "./transportWs.js";

export class GraphQLError extends Error {}

export function graphqlUrl() {
  return new URL("graphql", window.location.href.split("#")[0]).toString();
}

/** Run a query or mutation; answers `data`, throws GraphQLError on transport or GraphQL errors. */
export async function gql(query, variables = {}) {
  let res;
  try {
    res = await fetch(graphqlUrl(), {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      credentials: "same-origin",
      body: JSON.stringify({ query, variables }),
    });
  } catch (e) {
    throw new GraphQLError(`cannot reach the server: ${e.message}`);
  }
  let body;
  try {
    body = await res.json();
  } catch {
    throw new GraphQLError(`the server answered ${res.status} without JSON`);
  }
  if (body.errors?.length) throw new GraphQLError(body.errors.map((e) => e.message).join("; "));
  if (!res.ok) throw new GraphQLError(`the server answered ${res.status}`);
  return body.data;
}

let client = null;

/** Subscribe; returns a stop function. `onError` is called once if the socket fails. */
export function subscribe(query, variables, onNext, onError) {
  if (!client) {
    const url = graphqlUrl().replace(/^http/, "ws");
    client = new TransportWsClient(() => new WebSocket(url, SUBPROTOCOL));
  }
  const c = client;
  const stop = c.subscribe(
    { query, variables },
    {
      onNext: (payload) => {
        if (payload.errors?.length) onError(payload.errors[0]);
        else onNext(payload.data);
      },
      onError: (e) => {
        if (client === c && !c.socket) client = null;
        onError(e);
      },
    },
  );
  return () => {
    stop();
    if (c.subs.size === 0 && client === c) client = null;
  };
}
