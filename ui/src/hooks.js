import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { gql } from "./lib/gql.js";
import { parseRoute } from "./lib/route.js";

/** The current hash route, re-rendered on navigation. */
export function useRoute() {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const on = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener("hashchange", on);
    return () => window.removeEventListener("hashchange", on);
  }, []);
  return route;
}

/**
 * Run a query when its inputs change, and again every `pollMs` when given (live pages).
 * @returns {{data: any, error: string|null, loading: boolean, reload: () => void}}
 */
export function useQuery(query, variables, { pollMs = 0, skip = false } = {}) {
  const [state, setState] = useState({ data: null, error: null, loading: !skip });
  const key = JSON.stringify(variables ?? {});
  const seq = useRef(0);
  const run = useCallback(() => {
    if (skip) return;
    const mine = ++seq.current;
    gql(query, variables ?? {}).then(
      (data) => mine === seq.current && setState({ data, error: null, loading: false }),
      (e) => mine === seq.current && setState((s) => ({ data: s.data, error: e.message, loading: false })),
    );
  }, [query, key, skip]);
  useEffect(() => {
    run();
    if (!pollMs || skip) return undefined;
    const t = setInterval(run, pollMs);
    return () => clearInterval(t);
  }, [run, pollMs]);
  return { ...state, reload: run };
}
