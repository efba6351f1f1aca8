// CodeMirror 6 set-up for the configuration editors, loaded on demand (its own chunk): YAML highlighting, schema-aware
// completion, diagnostics from the server's validator marked in the gutter (@codemirror/lint), and a side-by-side diff
// of two versions. Each editor lives in a shadow root: there CodeMirror styles itself with constructed style sheets
// (adoptedStyleSheets), which the console's CSP (default-src 'self', no inline styles) leaves alone, where in the page
// it would inject <style> elements that the CSP refuses (the editor then shows unstyled, without gutters).
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

export interface Editor {
  view: EditorView;
  setProblems(problems: ConfigProblem[]): void;
  /** Replaces the whole document in one transaction (one undo step), as a paste over a select-all would. */
  setText(text: string): void;
  text(): string;
  destroy(): void;
}

/** Look of the editor inside its shadow root (the page's stylesheet does not reach in): size and a visible focus. */
const theme = EditorView.theme({
  '&': { minHeight: '360px', maxHeight: '62vh', fontSize: '14px', backgroundColor: '#fff' },
  '.cm-scroller': { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace', overflow: 'auto' },
  '&.cm-focused': { outline: '3px solid #f59e0b', outlineOffset: '-3px' },
  // @codemirror/lint draws its marks with data: SVG images, which the CSP's img-src 'self' refuses: plain CSS instead.
  '.cm-lint-marker': { width: '.9em', height: '.9em', margin: '.2em 0 0 .15em' },
  '.cm-lint-marker-error': { content: 'none', backgroundColor: '#dc2626', borderRadius: '50%', boxShadow: 'inset 0 0 0 2px #7f1d1d' },
  '.cm-lint-marker-warning': { content: 'none', backgroundColor: '#f59e0b', borderRadius: '2px' },
  '.cm-lintRange-error': { backgroundImage: 'none', textDecoration: 'underline wavy #dc2626', textDecorationSkipInk: 'none' },
  '.cm-lintRange-warning': { backgroundImage: 'none', textDecoration: 'underline wavy #d97706' },
  '.cm-gutter-lint': { width: '1.3em' },
});

const base = () => [
  lineNumbers(), highlightActiveLineGutter(), foldGutter(), history(), indentOnInput(), bracketMatching(), closeBrackets(),
  highlightActiveLine(), syntaxHighlighting(defaultHighlightStyle), yaml(), EditorView.lineWrapping, theme,
  keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
];

function shadowOf(host: HTMLElement): ShadowRoot {
  const root = host.shadowRoot ?? host.attachShadow({ mode: 'open' });
  root.replaceChildren();
  return root;
}

export function createEditor(parent: HTMLElement, text: string, label: string, schema: Record<string, unknown> | null,
  onChange: (text: string) => void): Editor {
  const root = shadowOf(parent);
  const view = new EditorView({
    parent: root,
    root,
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
    setText(next) { view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: next }, userEvent: 'input.paste' }); },
    text() { return view.state.doc.toString(); },
    destroy() { view.destroy(); },
  };
}

export function createDiff(parent: HTMLElement, a: string, b: string): { destroy(): void } {
  const readOnly = [base(), EditorState.readOnly.of(true), EditorView.editable.of(false)];
  const root = shadowOf(parent);
  return new MergeView({ parent: root, root, a: { doc: a, extensions: readOnly }, b: { doc: b, extensions: readOnly } });
}
