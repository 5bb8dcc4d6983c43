import { useEffect, useRef } from "preact/hooks";
import { autocompletion, closeBrackets } from "@codemirror/autocomplete";
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { yaml } from "@codemirror/lang-yaml";
import { bracketMatching } from "@codemirror/language";
import { lintGutter, setDiagnostics } from "@codemirror/lint";
import { EditorState } from "@codemirror/state";
import { EditorView, highlightActiveLine, hoverTooltip, keymap, lineNumbers } from "@codemirror/view";
import { completeAt } from "../lib/completion.js";
import { describePath } from "../lib/configSchema.js";
import { pathAtOffsetParsed } from "../lib/yamlPaths.js";

/**
 * The Launchpad's YAML editor (CodeMirror 6): completion and hover help from the config
 * schema in `schemaRef.current` ({types, rootKey}), and the diagnostics it is handed.
 * `value` is the starting text; `replace` ({text}) swaps the whole text from outside.
 */
export function YamlEditor({ value, replace, onChange, schemaRef, diagnostics }) {
  const host = useRef(null);
  const view = useRef(null);
  const changeRef = useRef(onChange);
  changeRef.current = onChange;
  useEffect(() => {
    const complete = (ctx) => {
      const s = schemaRef.current;
      if (!s) return null;
      const r = completeAt(s.types, s.rootKey, ctx.state.doc.toString(), ctx.pos);
      if (!r || !r.options.length) return null;
      return { from: r.from, options: r.options, validFor: /^[\w-]*$/ };
    };
    const hover = hoverTooltip((v, pos) => {
      const s = schemaRef.current;
      if (!s) return null;
      const path = pathAtOffsetParsed(v.state.doc.toString(), pos);
      if (!path) return null;
      const text = describePath(s.types, s.rootKey, path);
      if (!text) return null;
      return {
        pos,
        create: () => {
          const dom = document.createElement("div");
          dom.className = "cm-config-hover";
          dom.textContent = text;
          return { dom };
        },
      };
    });
    const v = new EditorView({
      parent: host.current,
      state: EditorState.create({
        doc: value,
        extensions: [
          lineNumbers(),
          history(),
          bracketMatching(),
          closeBrackets(),
          highlightActiveLine(),
          yaml(),
          autocompletion({ override: [complete], activateOnTyping: true }),
          hover,
          lintGutter(),
          keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
          EditorView.updateListener.of((u) => {
            if (u.docChanged) changeRef.current(u.state.doc.toString());
          }),
          EditorState.tabSize.of(2),
        ],
      }),
    });
    view.current = v;
    return () => v.destroy();
  }, []);
  // Text replaced from outside (scaffold, partition, ...) arrives as a new `replace` object;
  // the editor's own edits never come back through here, so fast typing cannot race a
  // stale render into overwriting what was just typed.
  useEffect(() => {
    const v = view.current;
    if (v && replace && v.state.doc.toString() !== replace.text) {
      v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: replace.text } });
    }
  }, [replace]);
  useEffect(() => {
    const v = view.current;
    if (!v) return;
    const len = v.state.doc.length;
    const ds = (diagnostics ?? []).map((d) => ({ ...d, from: Math.min(d.from, len), to: Math.min(d.to, len) }));
    v.dispatch(setDiagnostics(v.state, ds));
  }, [diagnostics]);
  return <div class="editor" ref={host} data-testid="config-editor" />;
}
