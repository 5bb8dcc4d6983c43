// The run config's JSON Schema (what `runConfigSchemaOrError { jsonSchema }` answers, and
// `headwater config schema` prints) turned into the same lookup of nodes that
// `indexConfigTypes` builds from typed config types, so every Launchpad operation works on
// either. Keys are made up here ("#0", "#1", ...): the schema is a tree without names.

const SCALARS = { integer: "Int", number: "Float", string: "String", boolean: "Bool" };

/**
 * @param {object} schema a JSON Schema as `to_json_schema` writes it
 * @returns {{types: Map<string, any>, rootKey: string}}
 */
export function indexJsonSchema(schema) {
  const types = new Map();
  let next = 0;
  const add = (n) => {
    const key = `#${next++}`;
    types.set(key, { ...n, key });
    return key;
  };
  const visit = (s) => {
    if (!s || typeof s !== "object") return add({ kind: "any" });
    const description = s.description ?? null;
    if (Array.isArray(s.enum)) {
      return add({ kind: "enum", description, values: s.enum.map((v) => ({ value: String(v), description: null })) });
    }
    if (Array.isArray(s.oneOf) && s.oneOf.length === 2 && isEnvReference(s.oneOf[1])) {
      const inner = types.get(visit(s.oneOf[0]));
      return add({ ...inner, description: description ?? inner.description, env: true });
    }
    if (Array.isArray(s.anyOf) && s.anyOf.length === 2) {
      if (s.anyOf[1]?.type === "null") return add({ kind: "nullable", description, inner: visit(s.anyOf[0]) });
      return add({ kind: "scalarUnion", description, scalarKey: visit(s.anyOf[0]), nonScalarKey: visit(s.anyOf[1]) });
    }
    if (s.type in SCALARS) return add({ kind: "scalar", description, scalarName: SCALARS[s.type] });
    if (s.type === "array") return add({ kind: "array", description, inner: visit(s.items) });
    if (s.type === "object") {
      const props = s.properties;
      if (!props && s.additionalProperties && typeof s.additionalProperties === "object") {
        return add({ kind: "map", description, inner: add({ kind: "scalar", scalarName: "String" }), valueKey: visit(s.additionalProperties) });
      }
      const required = new Set(s.required ?? []);
      const fields = Object.entries(props ?? {}).map(([name, p]) => ({
        name,
        description: p?.description ?? null,
        isRequired: required.has(name),
        configTypeKey: visit(p),
        defaultValueAsJson: p && "default" in p ? JSON.stringify(p.default) : null,
      }));
      const selector = s.minProperties === 1 && s.maxProperties === 1;
      return add({ kind: selector ? "selector" : "composite", description, fields, permissive: s.additionalProperties === true });
    }
    return add({ kind: "any", description });
  };
  const rootKey = visit(schema);
  return { types, rootKey };
}

function isEnvReference(s) {
  return s?.type === "object" && s.properties && "env" in s.properties && Object.keys(s.properties).length === 1;
}
