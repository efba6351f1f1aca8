// CodeMirror 6 set-up for the configuration editors, loaded on demand (its own chunk): YAML highlighting, schema-aware
// completion, diagnostics from the server's validator marked in the gutter, and a side-by-side diff of two versions.
import { autocompletion, closeBrackets } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { yaml } from '@codemirror/lang-yaml';
import { bracketMatching, defaultHighlightStyle, foldGutter, indentOnInput, syntaxHighlighting } from '@codemirror/language';
import { type Diagnostic, lintGutter, setDiagnostics } from '@codemirror/lint';
import { MergeView } from '@codemirror/merge';
import { EditorState } from '@codemirror/state';
import { EditorView, highlightActiveLine, highlightActiveLineGutter, keymap, lineNumbers } from '@codemirror/view';
import type { ConfigProblem } from '../../api/types';
import { schemaCompletion } from './yamlSchema';

export interface Editor { view: EditorView; setProblems(problems: ConfigProblem[]): void; setText(text: string): void; destroy(): void }

const base = () => [
  lineNumbers(), highlightActiveLineGutter(), foldGutter(), history(), indentOnInput(), bracketMatching(), closeBrackets(),
  highlightActiveLine(), syntaxHighlighting(defaultHighlightStyle), yaml(), EditorView.lineWrapping,
  keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
];

export function createEditor(parent: HTMLElement, text: string, label: string, schema: Record<string, unknown> | null,
  onChange: (text: string) => void): Editor {
  const view = new EditorView({
    parent,
    state: EditorState.create({
      doc: text,
      extensions: [
        base(), lintGutter(),
        autocompletion(schema ? { override: [schemaCompletion(schema)] } : {}),
        EditorView.contentAttributes.of({ 'aria-label': label, 'data-testid': 'code-editor' }),
        EditorView.updateListener.of(u => { if (u.docChanged) onChange(u.state.doc.toString()); }),
      ],
    }),
  });
  return {
    view,
    setProblems(problems) {
      const doc = view.state.doc;
      const diagnostics: Diagnostic[] = problems.map(p => {
        const line = doc.line(Math.min(Math.max(1, p.line), doc.lines));
        const from = Math.min(line.from + Math.max(0, p.column - 1), line.to);
        return { from, to: Math.max(from, line.to), severity: 'error', message: `${p.file}:${p.line}:${p.column}: ${p.message}` };
      });
      view.dispatch(setDiagnostics(view.state, diagnostics));
    },
    setText(next) { view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: next } }); },
    destroy() { view.destroy(); },
  };
}

export function createDiff(parent: HTMLElement, a: string, b: string): { destroy(): void } {
  const readOnly = [base(), EditorState.readOnly.of(true), EditorView.editable.of(false)];
  return new MergeView({ parent, a: { doc: a, extensions: readOnly }, b: { doc: b, extensions: readOnly } });
}
