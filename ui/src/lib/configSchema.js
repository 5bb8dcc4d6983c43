// The job's config schema, as `runConfigSchemaOrError.allConfigTypes` describes it, turned
// into a lookup of plain nodes, and the operations the Launchpad offers on a config value:
// scaffold what is missing, remove what is extra, expand defaults, and say what a path is.
// Pure functions on plain data: the editor and the tests call the same code.
import { indexJsonSchema } from "./jsonSchema.js";

/**
 * The Launchpad's schema from a `runConfigSchemaOrError` answer: typed config types when it
 * has them (`allConfigTypes`), else its JSON Schema (`jsonSchema`).
 * @returns {{types: Map<string, ConfigNode>, rootKey: string} | null}
 */
export function schemaFromAnswer(answer) {
  if (!answer) return null;
  if (answer.allConfigTypes && answer.rootConfigType) {
    return { types: indexConfigTypes(answer.allConfigTypes), rootKey: answer.rootConfigType.key };
  }
  if (answer.jsonSchema) return indexJsonSchema(answer.jsonSchema);
  return null;
}

/** @typedef {{kind: string, key: string, description?: string|null, fields?: Field[], inner?: string, valueKey?: string, values?: {value: string, description?: string|null}[], scalarName?: string, scalarKey?: string, nonScalarKey?: string}} ConfigNode */
/** @typedef {{name: string, description?: string|null, isRequired: boolean, configTypeKey: string, defaultValueAsJson?: string|null}} Field */

const SCALAR_NAMES = new Set(["Int", "Float", "String", "Bool"]);

/**
 * Index the config types answered by the server by key.
 * @param {any[]} allConfigTypes
 * @returns {Map<string, ConfigNode>}
 */
export function indexConfigTypes(allConfigTypes) {
  const types = new Map();
  for (const t of allConfigTypes) types.set(t.key, toNode(t));
  return types;
}

function toNode(t) {
  const base = { key: t.key, description: t.description ?? null };
  const params = t.typeParamKeys ?? [];
  switch (t.__typename) {
    case "CompositeConfigType":
      return { ...base, kind: t.isSelector ? "selector" : "composite", fields: t.fields ?? [] };
    case "ArrayConfigType":
      return { ...base, kind: "array", inner: params[0] };
    case "NullableConfigType":
      return { ...base, kind: "nullable", inner: params[0] };
    case "MapConfigType":
      return { ...base, kind: "map", inner: params[0], valueKey: params[1] };
    case "EnumConfigType":
      return { ...base, kind: "enum", values: t.values ?? [] };
    case "ScalarUnionConfigType":
      return {
        ...base,
        kind: "scalarUnion",
        scalarKey: t.scalarTypeKey ?? params[0],
        nonScalarKey: t.nonScalarTypeKey ?? params[1],
      };
    default: {
      const name = t.givenName ?? t.key;
      if (SCALAR_NAMES.has(name)) return { ...base, kind: "scalar", scalarName: name };
      return { ...base, kind: "any" };
    }
  }
}

/** The node for a key; an unknown key reads as Any (the server knows best). */
export function node(types, key) {
  return types.get(key) ?? { kind: "any", key: key ?? "Any" };
}

/** Strip Noneable wrappers: what a value written there must look like. */
export function unwrap(types, key) {
  let n = node(types, key);
  while (n.kind === "nullable") n = node(types, n.inner);
  if (n.kind === "scalarUnion") return node(types, n.nonScalarKey);
  return n;
}

/** A short human name for a type: `Int`, `[String]`, `Int?`, `{str: Int}`, `shape`. */
export function typeName(types, key) {
  const n = node(types, key);
  switch (n.kind) {
    case "scalar":
      return n.env ? `${n.scalarName} | {env: NAME}` : n.scalarName;
    case "array":
      return `[${typeName(types, n.inner)}]`;
    case "nullable":
      return `${typeName(types, n.inner)}?`;
    case "map":
      return `{${typeName(types, n.inner)}: ${typeName(types, n.valueKey)}}`;
    case "enum":
      return n.values.map((v) => v.value).join(" | ");
    case "selector":
      return `one of: ${n.fields.map((f) => f.name).join(", ")}`;
    case "composite":
      return "shape";
    case "scalarUnion":
      return `${typeName(types, n.scalarKey)} | ${typeName(types, n.nonScalarKey)}`;
    default:
      return "Any";
  }
}

/**
 * What sits at a path under the root: the type key, and the field that declares it.
 * @returns {{key: string, field: Field|null} | null} null when the path leaves the schema.
 */
export function typeAtPath(types, rootKey, path) {
  let key = rootKey;
  let field = null;
  for (const seg of path) {
    const n = unwrap(types, key);
    if ((n.kind === "composite" || n.kind === "selector") && typeof seg === "string") {
      field = n.fields.find((f) => f.name === seg) ?? null;
      if (!field) return null;
      key = field.configTypeKey;
    } else if (n.kind === "array" && Number.isInteger(Number(seg))) {
      key = n.inner;
      field = null;
    } else if (n.kind === "map") {
      key = n.valueKey;
      field = null;
    } else if (n.kind === "any") {
      return { key: "Any", field: null };
    } else {
      return null;
    }
  }
  return { key, field };
}

/** The fields that may be written at a path (for completion), or [] where none apply. */
export function fieldsAt(types, rootKey, path) {
  const at = typeAtPath(types, rootKey, path);
  if (!at) return [];
  const n = unwrap(types, at.key);
  return n.kind === "composite" || n.kind === "selector" ? n.fields : [];
}

/** A placeholder value of a type, with its required parts filled in. */
export function scaffoldValue(types, key) {
  const n = node(types, key);
  switch (n.kind) {
    case "composite": {
      const out = {};
      for (const f of n.fields) if (f.isRequired) out[f.name] = fieldScaffold(types, f);
      return out;
    }
    case "selector":
      return n.fields.length === 1 ? { [n.fields[0].name]: fieldScaffold(types, n.fields[0]) } : {};
    case "array":
      return [];
    case "map":
      return {};
    case "nullable":
      return null;
    case "enum":
      return n.values[0]?.value ?? "";
    case "scalar":
      return { Int: 0, Float: 0.0, String: "", Bool: false }[n.scalarName];
    case "scalarUnion":
      return scaffoldValue(types, n.scalarKey);
    default:
      return null;
  }
}

function fieldScaffold(types, f) {
  const d = parseDefault(f);
  return d.has ? d.value : scaffoldValue(types, f.configTypeKey);
}

function parseDefault(f) {
  if (f.defaultValueAsJson == null) return { has: false, value: undefined };
  try {
    return { has: true, value: JSON.parse(f.defaultValueAsJson) };
  } catch {
    return { has: false, value: undefined };
  }
}

const isPlainObject = (v) => v !== null && typeof v === "object" && !Array.isArray(v);

/** Add every required field that is missing, recursively; existing values are kept. */
export function scaffoldMissing(types, rootKey, value) {
  const n = unwrap(types, rootKey);
  if (n.kind === "composite") {
    const out = isPlainObject(value) ? { ...value } : {};
    for (const f of n.fields) {
      if (f.name in out) out[f.name] = scaffoldMissing(types, f.configTypeKey, out[f.name]);
      else if (f.isRequired) out[f.name] = scaffoldMissing(types, f.configTypeKey, fieldScaffold(types, f));
    }
    return out;
  }
  if (n.kind === "selector") {
    if (!isPlainObject(value) || Object.keys(value).length === 0) return scaffoldValue(types, n.key);
    const out = { ...value };
    for (const f of n.fields) if (f.name in out) out[f.name] = scaffoldMissing(types, f.configTypeKey, out[f.name]);
    return out;
  }
  if (n.kind === "array" && Array.isArray(value)) return value.map((v) => scaffoldMissing(types, n.inner, v));
  if (n.kind === "map" && isPlainObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scaffoldMissing(types, n.valueKey, v)]));
  }
  return value;
}

/**
 * Drop every key the schema does not declare, recursively.
 * @returns {{value: any, removed: (string|number)[][]}} the cleaned value and the paths dropped.
 */
export function removeExtra(types, rootKey, value) {
  const removed = [];
  const walk = (key, v, path) => {
    const n = unwrap(types, key);
    if ((n.kind === "composite" || n.kind === "selector") && isPlainObject(v)) {
      const out = {};
      for (const [k, child] of Object.entries(v)) {
        const f = n.fields.find((x) => x.name === k);
        if (f) out[k] = walk(f.configTypeKey, child, [...path, k]);
        else if (n.permissive) out[k] = child; // a permissive shape takes any other key
        else removed.push([...path, k]);
      }
      return out;
    }
    if (n.kind === "array" && Array.isArray(v)) return v.map((x, i) => walk(n.inner, x, [...path, i]));
    if (n.kind === "map" && isPlainObject(v)) {
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(n.valueKey, x, [...path, k])]));
    }
    return v;
  };
  return { value: walk(rootKey, value, []), removed };
}

/** Fill in every field that has a default and is not written, recursively. */
export function expandDefaults(types, rootKey, value) {
  const n = unwrap(types, rootKey);
  if (n.kind === "composite" || n.kind === "selector") {
    const out = isPlainObject(value) ? { ...value } : {};
    for (const f of n.fields) {
      if (f.name in out) {
        out[f.name] = expandDefaults(types, f.configTypeKey, out[f.name]);
        continue;
      }
      if (n.kind === "selector") continue; // a selector takes one field: never add another
      const d = parseDefault(f);
      if (d.has && d.value !== null) {
        // (a null default is what leaving the field out means already: not written)
        out[f.name] = expandDefaults(types, f.configTypeKey, d.value);
      } else if (node(types, f.configTypeKey).kind === "composite") {
        // A shape with no default of its own still gets its fields' defaults, when it has any
        // (a Noneable one stays out: its default is null).
        const inner = expandDefaults(types, f.configTypeKey, {});
        if (Object.keys(inner).length > 0) out[f.name] = inner;
      }
    }
    return out;
  }
  if (n.kind === "array" && Array.isArray(value)) return value.map((v) => expandDefaults(types, n.inner, v));
  if (n.kind === "map" && isPlainObject(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, expandDefaults(types, n.valueKey, v)]));
  }
  return value;
}

/** Hover text for a path: the field's name, type, required/default and description. */
export function describePath(types, rootKey, path) {
  const at = typeAtPath(types, rootKey, path);
  if (!at) return null;
  const name = path.length ? String(path[path.length - 1]) : "run config";
  const lines = [`${name}: ${typeName(types, at.key)}`];
  if (at.field) {
    if (at.field.isRequired) lines.push("required");
    else if (at.field.defaultValueAsJson != null) lines.push(`default: ${at.field.defaultValueAsJson}`);
    else lines.push("optional");
  }
  const desc = at.field?.description ?? node(types, at.key).description;
  if (desc) lines.push(desc);
  return lines.join("\n");
}
