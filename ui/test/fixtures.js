// A run config schema as `runConfigSchemaOrError.allConfigTypes` answers it, for a job with
// one op `load` whose config has a required `path`, a defaulted `retries`, an enum `mode`,
// a list of tags and an optional nested `auth` shape.
export const ALL_CONFIG_TYPES = [
  { __typename: "CompositeConfigType", key: "Root", isSelector: false, typeParamKeys: [], fields: [
    { name: "ops", isRequired: true, configTypeKey: "Ops", description: "per-op config" },
    { name: "execution", isRequired: false, configTypeKey: "Exec", defaultValueAsJson: null },
    { name: "loggers", isRequired: false, configTypeKey: "Loggers", defaultValueAsJson: "{}" },
  ] },
  { __typename: "CompositeConfigType", key: "Ops", isSelector: false, typeParamKeys: [], fields: [
    { name: "load", isRequired: true, configTypeKey: "LoadOp" },
  ] },
  { __typename: "CompositeConfigType", key: "Loggers", isSelector: false, typeParamKeys: [], fields: [] },
  { __typename: "CompositeConfigType", key: "LoadOp", isSelector: false, typeParamKeys: [], fields: [
    { name: "config", isRequired: true, configTypeKey: "LoadConfig" },
  ] },
  { __typename: "CompositeConfigType", key: "LoadConfig", isSelector: false, typeParamKeys: [], fields: [
    { name: "path", isRequired: true, configTypeKey: "String", description: "where to read from" },
    { name: "retries", isRequired: false, configTypeKey: "Int", defaultValueAsJson: "3" },
    { name: "mode", isRequired: false, configTypeKey: "Mode", defaultValueAsJson: "\"fast\"" },
    { name: "labels", isRequired: false, configTypeKey: "Array.String" },
    { name: "auth", isRequired: false, configTypeKey: "Noneable.Auth" },
    { name: "verbose", isRequired: false, configTypeKey: "Bool" },
  ] },
  { __typename: "CompositeConfigType", key: "Auth", isSelector: false, typeParamKeys: [], fields: [
    { name: "user", isRequired: true, configTypeKey: "String" },
    { name: "port", isRequired: false, configTypeKey: "Int", defaultValueAsJson: "5432" },
  ] },
  { __typename: "CompositeConfigType", key: "Exec", isSelector: true, typeParamKeys: [], fields: [
    { name: "in_process", isRequired: false, configTypeKey: "InProc" },
    { name: "multiprocess", isRequired: false, configTypeKey: "MultiProc" },
  ] },
  { __typename: "CompositeConfigType", key: "InProc", isSelector: false, typeParamKeys: [], fields: [] },
  { __typename: "CompositeConfigType", key: "MultiProc", isSelector: false, typeParamKeys: [], fields: [
    { name: "max_concurrent", isRequired: false, configTypeKey: "Int", defaultValueAsJson: "0" },
  ] },
  { __typename: "EnumConfigType", key: "Mode", givenName: "Mode", typeParamKeys: [], values: [
    { value: "fast", description: "quick" }, { value: "safe", description: null },
  ] },
  { __typename: "ArrayConfigType", key: "Array.String", typeParamKeys: ["String"] },
  { __typename: "NullableConfigType", key: "Noneable.Auth", typeParamKeys: ["Auth"] },
  { __typename: "RegularConfigType", key: "String", givenName: "String", typeParamKeys: [] },
  { __typename: "RegularConfigType", key: "Int", givenName: "Int", typeParamKeys: [] },
  { __typename: "RegularConfigType", key: "Bool", givenName: "Bool", typeParamKeys: [] },
];
