import { useEffect, useMemo, useRef, useState } from "preact/hooks";
import { stringify } from "yaml";
import { useQuery } from "../hooks.js";
import { gql } from "../lib/gql.js";
import { expandDefaults, removeExtra, scaffoldMissing, schemaFromAnswer } from "../lib/configSchema.js";
import { CONFIG_SCHEMA, JOB, JOB_PARTITION, JOB_PARTITIONS, LAUNCH, VALIDATE } from "../lib/queries.js";
import { href } from "../lib/route.js";
import { tagsFromRows } from "../lib/runsFilter.js";
import { parseConfigYaml, rangeForPath } from "../lib/yamlPaths.js";
import { ErrorBox, unionError } from "../components/common.jsx";
import { YamlEditor } from "../components/Editor.jsx";

const DEBOUNCE_MS = 120;

/** Serialise a config value back to YAML for the editor (an empty config is empty text). */
export function toYaml(value) {
  if (value == null || (typeof value === "object" && !Array.isArray(value) && !Object.keys(value).length)) return "";
  return stringify(value, { indent: 2 });
}

export function Launchpad({ workspace, name, loading }) {
  const selector = workspace.jobSelector(name);
  const job = useQuery(JOB, { selector }, { skip: !selector });
  const modes = job.data?.pipelineOrError?.modes ?? [];
  const presets = job.data?.pipelineOrError?.presets ?? [];
  const [mode, setMode] = useState(null);
  // A job has the one mode "default", so its schema need not wait for the job's modes; a
  // legacy pipeline (isJob false) starts in its first mode, known once the job is read.
  const isJob = workspace.job(name)?.isJob ?? true;
  const activeMode = mode ?? (isJob ? "default" : modes[0]?.name ?? null);
  const schemaQ = useQuery(CONFIG_SCHEMA, { selector, mode: activeMode }, { skip: !selector || !activeMode });
  const schemaAnswer = schemaQ.data?.runConfigSchemaOrError;
  const schema = useMemo(
    () => (schemaAnswer?.__typename === "RunConfigSchema" ? schemaFromAnswer(schemaAnswer) : null),
    [schemaAnswer],
  );
  const schemaRef = useRef(null);
  schemaRef.current = schema;

  const [text, setText] = useState("");
  const [replace, setReplace] = useState(null);
  const replaceText = (t) => {
    setText(t);
    setReplace({ text: t });
  };
  const [tagRows, setTagRows] = useState([{ key: "", value: "" }]);
  const [partition, setPartition] = useState("");
  // The preset last chosen (its config, mode and tags were copied in; edits are kept).
  const [preset, setPreset] = useState("");
  const [check, setCheck] = useState({ state: "idle", errors: [], diagnostics: [] });
  const [launching, setLaunching] = useState(false);
  const [launchError, setLaunchError] = useState(null);
  const seq = useRef(0);

  // Validate on every edit: YAML syntax here at once, the config on the server after a pause.
  useEffect(() => {
    if (!selector || !schema) return undefined;
    const mine = ++seq.current;
    const parsed = parseConfigYaml(text);
    if (!parsed.ok) {
      setCheck({ state: "invalid", errors: [{ message: `YAML: ${parsed.message}`, path: [] }], diagnostics: [{ from: parsed.from, to: parsed.to, severity: "error", message: parsed.message }] });
      return undefined;
    }
    setCheck((c) => ({ ...c, state: "checking" }));
    const t = setTimeout(async () => {
      try {
        const d = await gql(VALIDATE, { selector, mode: activeMode, runConfigData: parsed.value });
        if (mine !== seq.current) return;
        const r = d.isPipelineConfigValid;
        if (r.__typename === "PipelineConfigValidationValid") {
          setCheck({ state: "valid", errors: [], diagnostics: [] });
        } else if (r.__typename === "RunConfigValidationInvalid") {
          setCheck({
            state: "invalid",
            errors: r.errors,
            // an unknown field is underlined itself; other errors on the deepest key written
            diagnostics: r.errors.flatMap((e) =>
              (e.fieldNames ?? (e.fieldName ? [e.fieldName] : [null])).map((f) => ({
                ...rangeForPath(text, f ? [...e.path, f] : e.path),
                severity: "error",
                message: e.message,
              })),
            ),
          });
        } else {
          setCheck({ state: "invalid", errors: [{ message: `${r.__typename}: ${r.message}`, path: [] }], diagnostics: [] });
        }
      } catch (e) {
        if (mine === seq.current) setCheck({ state: "error", errors: [{ message: e.message, path: [] }], diagnostics: [] });
      }
    }, DEBOUNCE_MS);
    return () => clearTimeout(t);
  }, [text, schema, activeMode, selector?.pipelineName]);

  const transform = (fn) => {
    const parsed = parseConfigYaml(text);
    if (!parsed.ok || !schema) return;
    replaceText(toYaml(fn(parsed.value)));
  };
  const { tags, errors: tagErrors } = tagsFromRows(tagRows);
  const canLaunch = check.state === "valid" && !tagErrors.length && !launching;

  const launch = async () => {
    setLaunching(true);
    setLaunchError(null);
    const parsed = parseConfigYaml(text);
    try {
      const d = await gql(LAUNCH, {
        executionParams: {
          selector,
          mode: activeMode,
          runConfigData: parsed.ok ? parsed.value : {},
          executionMetadata: { tags },
        },
      });
      const r = d.launchRun;
      if (r.__typename === "LaunchRunSuccess") {
        window.location.hash = href(`/runs/${r.run.runId}`);
        return;
      }
      setLaunchError(r.errors ? r.errors.map((e) => e.message).join("; ") : `${r.__typename}: ${r.message ?? ""}`);
    } catch (e) {
      setLaunchError(e.message);
    }
    setLaunching(false);
  };

  if (!selector) return loading ? <div class="empty">Loading…</div> : <ErrorBox error={`No job named “${name}” in the workspace.`} />;
  return (
    <div class="launchpad">
      <h1><a href={href(`/jobs/${name}`)}>{name}</a> · Launchpad</h1>
      <ErrorBox error={schemaQ.error ?? unionError(schemaAnswer, "RunConfigSchema")} />
      <div class="lp-bar">
        {presets.length > 0 && (
          <label>Preset <select aria-label="preset" value={preset} onChange={(e) => {
            const p = presets.find((x) => x.name === e.currentTarget.value);
            setPreset(p ? p.name : "");
            if (!p) return;
            setMode(p.mode);
            replaceText(p.runConfigYaml);
            setTagRows([...p.tags.map((t) => ({ key: t.key, value: t.value })), { key: "", value: "" }]);
          }}>
            <option value="">choose…</option>
            {presets.map((p) => <option key={p.name} value={p.name}>{p.name}</option>)}
          </select></label>
        )}
        {modes.length > 1 && (
          <label>Mode <select aria-label="mode" value={activeMode ?? ""} onChange={(e) => setMode(e.currentTarget.value)}>
            {modes.map((m) => <option key={m.name} value={m.name} title={m.description ?? ""}>{m.name}</option>)}
          </select></label>
        )}
        <PartitionPicker selector={selector} value={partition} onPick={async (p) => {
          setPartition(p);
          if (!p) return;
          try {
            const d = await gql(JOB_PARTITION, { selector, partitionName: p });
            const part = d.pipelineOrError?.partition;
            if (part?.runConfigOrError?.yaml != null) replaceText(part.runConfigOrError.yaml.trim() === "{}" ? "" : part.runConfigOrError.yaml);
            const ptags = part?.tagsOrError?.results ?? [];
            setTagRows([...ptags.map((t) => ({ key: t.key, value: t.value })), { key: "", value: "" }]);
          } catch (e) {
            setLaunchError(e.message);
          }
        }} />
        <button disabled={!schema} onClick={() => transform((v) => scaffoldMissing(schema.types, schema.rootKey, v))}>Scaffold missing config</button>
        <button disabled={!schema} onClick={() => transform((v) => removeExtra(schema.types, schema.rootKey, v).value)}>Remove extra config</button>
        <button disabled={!schema} onClick={() => transform((v) => expandDefaults(schema.types, schema.rootKey, v))}>Expand defaults</button>
      </div>
      <div class="lp-body">
        <div class="lp-editor">
          <YamlEditor value={text} replace={replace} onChange={setText} schemaRef={schemaRef} diagnostics={check.diagnostics} />
          <div class={`lp-status lp-${check.state}`} data-testid="validation-status">
            {{ idle: "Loading schema…", checking: "Checking…", valid: "Config is valid", invalid: `${check.errors.length} error${check.errors.length === 1 ? "" : "s"}`, error: "Could not validate" }[check.state]}
          </div>
          <ul class="lp-errors" data-testid="validation-errors">
            {check.errors.map((e, i) => (
              <li key={i}>{e.path?.length && !e.message.startsWith(e.path.join(".")) ? <span class="mono">{e.path.join(".")}: </span> : null}{e.message}</li>
            ))}
          </ul>
        </div>
        <div class="lp-side">
          <h3>Tags</h3>
          {tagRows.map((row, i) => (
            <div class="tag-row" key={i}>
              <input placeholder="key" value={row.key} onInput={(e) => {
                const next = tagRows.map((r, j) => (j === i ? { ...r, key: e.currentTarget.value } : r));
                if (i === tagRows.length - 1) next.push({ key: "", value: "" });
                setTagRows(next);
              }} />
              <input placeholder="value" value={row.value} onInput={(e) => setTagRows(tagRows.map((r, j) => (j === i ? { ...r, value: e.currentTarget.value } : r)))} />
              {i < tagRows.length - 1 && <button title="remove" onClick={() => setTagRows(tagRows.filter((_, j) => j !== i))}>✕</button>}
            </div>
          ))}
          {tagErrors.map((e) => <div class="error" key={e}>{e}</div>)}
          <button class="primary launch" disabled={!canLaunch} onClick={launch} data-testid="launch">
            {launching ? "Launching…" : "Launch run"}
          </button>
          <ErrorBox error={launchError} />
        </div>
      </div>
    </div>
  );
}

function PartitionPicker({ selector, value, onPick }) {
  const q = useQuery(JOB_PARTITIONS, { selector });
  const keys = q.data?.pipelineOrError?.partitionKeysOrError?.partitionKeys ?? [];
  const [typed, setTyped] = useState(value);
  if (!keys.length) return null;
  // A key is picked as soon as the text is one (chosen from the list or typed in full), so
  // the config and tags follow without waiting for Enter or blur.
  const pick = (v) => {
    setTyped(v);
    if (v !== value && keys.includes(v)) onPick(v);
  };
  return (
    <label>Partition{" "}
      <input list="partition-keys" aria-label="partition" value={typed} placeholder={`${keys.length} partitions`}
        onInput={(e) => pick(e.currentTarget.value)} onChange={(e) => pick(e.currentTarget.value)} />
      <datalist id="partition-keys">{keys.slice(-5000).map((k) => <option key={k} value={k} />)}</datalist>
    </label>
  );
}
