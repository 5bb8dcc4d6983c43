// What the Launchpad's editor offers at the cursor, from the config schema. Pure: takes the
// text and a position, answers plain option objects the editor turns into completions.
import { fieldsAt, typeAtPath, typeName, unwrap } from "./configSchema.js";
import { pathAtOffset } from "./yamlPaths.js";

/**
 * @returns {{from: number, options: {label: string, detail: string, info?: string, apply: string}[]} | null}
 */
export function completeAt(types, rootKey, text, pos) {
  const { path, inKey, prefix } = pathAtOffset(text, pos);
  if (inKey) {
    const lineStart = text.lastIndexOf("\n", pos - 1) + 1;
    const indent = text.slice(lineStart, pos).length - prefix.length;
    const present = siblingKeys(text, lineStart, indent);
    const fields = fieldsAt(types, rootKey, path).filter((f) => !present.has(f.name));
    return {
      from: pos - prefix.length,
      options: fields.map((f) => {
        const n = unwrap(types, f.configTypeKey);
        const nested = n.kind === "composite" || n.kind === "selector" || n.kind === "map";
        const list = n.kind === "array";
        return {
          label: f.name,
          detail: `${typeName(types, f.configTypeKey)}${f.isRequired ? " (required)" : ""}`,
          info: f.description ?? undefined,
          apply: nested ? `${f.name}:\n${" ".repeat(indent + 2)}` : list ? `${f.name}:\n${" ".repeat(indent)}  - ` : `${f.name}: `,
        };
      }),
    };
  }
  // After `key: `: values for enums and booleans.
  const at = typeAtPath(types, rootKey, path);
  if (!at) return null;
  const n = unwrap(types, at.key);
  const lineStart = text.lastIndexOf("\n", pos - 1) + 1;
  const afterColon = text.slice(lineStart, pos).replace(/^[^:]*:\s*/, "");
  let values = [];
  if (n.kind === "enum") values = n.values.map((v) => ({ label: v.value, info: v.description ?? undefined }));
  else if (n.kind === "scalar" && n.scalarName === "Bool") values = [{ label: "true" }, { label: "false" }];
  if (!values.length) return null;
  return {
    from: pos - afterColon.length,
    options: values.map((v) => ({ ...v, detail: typeName(types, at.key), apply: v.label })),
  };
}

// Keys already written at the same indentation in the same block, so they are not offered again.
function siblingKeys(text, lineStart, indent) {
  const keys = new Set();
  const scan = (lines) => {
    for (const l of lines) {
      if (!l.trim()) continue;
      const ind = l.length - l.trimStart().length;
      if (ind < indent) break;
      if (ind > indent) continue;
      const m = /^\s*([^:#\s][^:#]*?)\s*:/.exec(l);
      if (m) keys.add(m[1]);
    }
  };
  scan(text.slice(0, lineStart).split("\n").reverse());
  const lineEnd = text.indexOf("\n", lineStart);
  if (lineEnd !== -1) scan(text.slice(lineEnd + 1).split("\n"));
  return keys;
}
