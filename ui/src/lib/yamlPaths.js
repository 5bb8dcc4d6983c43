// Where things are in the Launchpad's YAML text: the config path at the cursor (for
// completion and hover) and the text range of a config path (for inline errors).
import { isMap, isPair, isScalar, isSeq, parseDocument } from "yaml";

/**
 * Parse YAML text into a value, or say where it is malformed.
 * @returns {{ok: true, value: any} | {ok: false, message: string, from: number, to: number}}
 */
export function parseConfigYaml(text) {
  const doc = parseDocument(text);
  if (doc.errors.length) {
    const e = doc.errors[0];
    const [from, to] = e.pos ?? [0, 0];
    return { ok: false, message: e.message.split("\n")[0], from, to: Math.max(to, from + 1) };
  }
  const value = doc.toJS();
  return { ok: true, value: value ?? {} };
}

/**
 * The config path that owns a position, found from indentation so that it works while the
 * text is half-typed (not valid YAML). Used for completion: `inKey` is true when the
 * cursor is where a key name is being written.
 * @returns {{path: (string|number)[], inKey: boolean, prefix: string}}
 */
export function pathAtOffset(text, offset) {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf("\n") + 1;
  const line = before.slice(lineStart);
  let indent = line.length - line.trimStart().length;
  let rest = line.trimStart();
  let inItem = false;
  // `- key` inside a list: the item's keys sit after the dash.
  while (rest.startsWith("- ") || rest === "-") {
    indent += 2;
    rest = rest.slice(2);
    inItem = true;
  }
  const colon = rest.indexOf(":");
  const inKey = colon === -1;
  const prefix = inKey ? rest : "";
  const path = [];
  if (!inKey) path.push(rest.slice(0, colon).trim());
  if (inItem) path.unshift(0);
  let want = inItem ? indent - 2 : indent;
  const lines = text.slice(0, lineStart).split("\n");
  for (let i = lines.length - 1; i >= 0 && want > 0; i--) {
    const l = lines[i];
    if (!l.trim() || l.trimStart().startsWith("#")) continue;
    const ind = l.length - l.trimStart().length;
    if (ind >= want) continue;
    const m = /^(\s*)(- )?([^:#\s][^:#]*?)\s*:(\s|$)/.exec(l);
    if (m && m[2]) {
      // `- key:` above: a sibling in the same list item when its keys align with ours,
      // otherwise the item's key owns us. Either way we are inside item 0 of a list.
      if (ind + 2 < want) path.unshift(m[3]);
      path.unshift(0);
      want = ind;
      continue;
    }
    if (m) path.unshift(m[3]);
    want = ind;
  }
  return { path: path.filter((s) => s !== ""), inKey, prefix };
}

/** The path of the key or value under a position, from the parsed document (for hover). */
export function pathAtOffsetParsed(text, offset) {
  const doc = parseDocument(text);
  const found = [];
  const walk = (n, path) => {
    if (isMap(n)) {
      for (const item of n.items) {
        if (!isPair(item)) continue;
        const k = item.key;
        const keyName = isScalar(k) ? String(k.value) : null;
        if (keyName === null) continue;
        const kr = k.range;
        if (kr && offset >= kr[0] && offset <= kr[1]) {
          found.push([...path, keyName]);
          return;
        }
        const v = item.value;
        if (v && v.range && offset >= v.range[0] && offset <= v.range[2]) {
          walk(v, [...path, keyName]);
          if (!found.length) found.push([...path, keyName]);
          return;
        }
      }
    } else if (isSeq(n)) {
      n.items.forEach((item, i) => {
        if (item && item.range && offset >= item.range[0] && offset <= item.range[2]) walk(item, [...path, i]);
      });
    }
  };
  walk(doc.contents, []);
  return found[0] ?? null;
}

/**
 * The text range to underline for an error at a config path: the deepest key of the path
 * that exists (a missing field is reported on its parent's key; a root error on line one).
 * @returns {{from: number, to: number}}
 */
export function rangeForPath(text, path) {
  const doc = parseDocument(text);
  let n = doc.contents;
  let best = { from: 0, to: Math.max(1, text.indexOf("\n") === -1 ? text.length : text.indexOf("\n")) };
  for (const seg of path) {
    if (isMap(n)) {
      const pair = n.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) break;
      best = { from: pair.key.range[0], to: pair.key.range[1] };
      n = pair.value;
    } else if (isSeq(n) && Number.isInteger(Number(seg)) && n.items[Number(seg)]) {
      n = n.items[Number(seg)];
      if (n.range) best = { from: n.range[0], to: n.range[1] };
    } else {
      break;
    }
  }
  if (best.to <= best.from) best = { from: best.from, to: best.from + 1 };
  return best;
}
