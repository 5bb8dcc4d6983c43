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
