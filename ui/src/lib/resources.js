// A resource's config fields, from its JSON Schema (`ResourceDetails.configSchema`), for the
// resources page: name, description, required, default.

/** @returns {{name: string, description: string|null, isRequired: boolean, defaultValueAsJson: string|null}[]} */
export function configFields(schema) {
  const props = schema?.properties ?? {};
  const required = new Set(schema?.required ?? []);
  return Object.entries(props).map(([name, p]) => ({
    name,
    description: p?.description ?? null,
    isRequired: required.has(name),
    defaultValueAsJson: p && "default" in p ? JSON.stringify(p.default) : null,
  }));
}

/**
 * The rows of a resource's config table: each field of its schema, then any configured key
 * the schema does not list (a server may send values without a schema), each with its value.
 */
export function resourceRows(schema, configuredValues) {
  const rows = configFields(schema).map((f) => ({ ...f, value: null }));
  for (const v of configuredValues ?? []) {
    const row = rows.find((r) => r.name === v.key);
    if (row) row.value = v;
    else rows.push({ name: v.key, description: null, isRequired: false, defaultValueAsJson: null, value: v });
  }
  return rows;
}
