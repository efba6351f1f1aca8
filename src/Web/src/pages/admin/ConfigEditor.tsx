// Editor of config/ivr.yaml or config/queues.yaml: YAML with schema completion, validated as you type by the server's
// own loader (errors at their line in the gutter and listed below), save (kept as a version with who and when, then
// deployed by the hot reload), versions with diff and one-click rollback; for the IVR also Simulate and the graph.
import { useEffect, useRef, useState } from 'preact/hooks';
import { api, ApiError, type ConfigKind } from '../../api/client';
import type { ConfigProblem, ConfigVersion, GraphAnswer, SimulateAnswer } from '../../api/types';
import { ErrorText, Section } from '../../ui/components';
import { dateTime } from '../../ui/format';
import type { Editor } from './editor';
import { FlowGraph } from './FlowGraph';

const ValidateDelayMs = 400;

function Problems(props: { problems: ConfigProblem[]; onPick: (p: ConfigProblem) => void }) {
  if (props.problems.length === 0) return <p class="ok-text" data-testid="valid" role="status">Valid: no problems found.</p>;
  return (
    <ul class="problems" data-testid="problems" role="status">
      {props.problems.map(p => (
        <li><button type="button" class="link" onClick={() => props.onPick(p)}>{p.file}:{p.line}:{p.column}</button>: {p.message}</li>
      ))}
    </ul>
  );
}

function Versions(props: { kind: ConfigKind; versions: ConfigVersion[]; onRolledBack: (v: number) => void }) {
  const [a, setA] = useState<number | null>(null);
  const [b, setB] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const diffHost = useRef<HTMLDivElement>(null);
  const diff = useRef<{ destroy(): void } | null>(null);
  useEffect(() => {
    if (props.versions.length >= 2 && a === null) { setA(props.versions[1]!.version); setB(props.versions[0]!.version); }
  }, [props.versions]);
  useEffect(() => () => diff.current?.destroy(), []);
  const compare = async () => {
    if (a === null || b === null || !diffHost.current) return;
    setError(null);
    try {
      const [va, vb] = await Promise.all([api.version(props.kind, a), api.version(props.kind, b)]);
      const { createDiff } = await import('./editor');
      diff.current?.destroy();
      diffHost.current.replaceChildren();
      diff.current = createDiff(diffHost.current, va.content ?? '', vb.content ?? '');
    } catch (e) { setError(e); }
  };
  const rollback = async (v: number) => {
    setError(null);
    try {
      const r = await api.rollback(props.kind, v);
      if (r.version) props.onRolledBack(r.version);
    } catch (e) { setError(e); }
  };
  return (
    <div data-testid="versions">
      <table class="table compact">
        <thead><tr><th>Version</th><th>Saved</th><th>By</th><th>Note</th><th>Compare A</th><th>Compare B</th><th /></tr></thead>
        <tbody>{props.versions.map((v, i) => (
          <tr data-testid="version-row" data-version={v.version}>
            <td>{v.version}{i === 0 ? ' (current)' : ''}</td><td>{dateTime(v.savedAt)}</td><td>{v.savedBy}</td><td>{v.comment ?? ''}</td>
            <td><input type="radio" name={`a-${props.kind}`} checked={a === v.version} onChange={() => setA(v.version)} aria-label={`Compare version ${v.version} as A`} /></td>
            <td><input type="radio" name={`b-${props.kind}`} checked={b === v.version} onChange={() => setB(v.version)} aria-label={`Compare version ${v.version} as B`} /></td>
            <td>{i > 0 && <button type="button" onClick={() => rollback(v.version)} data-testid={`rollback-${v.version}`}>Roll back to {v.version}</button>}</td>
          </tr>))}
        </tbody>
      </table>
      <button type="button" onClick={compare} disabled={a === null || b === null}>Show differences A → B</button>
      <ErrorText error={error} />
      <div ref={diffHost} class="diff" data-testid="diff" />
    </div>
  );
}

function Simulate(props: { text: () => string }) {
  const [f, setF] = useState({ number: '08001234567', caller: '+15550000001', digits: '2', at: '' });
  const [answer, setAnswer] = useState<SimulateAnswer | null>(null);
  const [error, setError] = useState<unknown>(null);
  const run = async (e: Event) => {
    e.preventDefault();
    setError(null);
    try { setAnswer(await api.simulate({ content: props.text(), number: f.number, caller: f.caller, digits: f.digits, at: f.at ? new Date(f.at).toISOString() : '' })); } catch (err) { setError(err); }
  };
  const input = (k: keyof typeof f, label: string, type = 'text') => (
    <div><label for={`sim-${k}`}>{label}</label><input id={`sim-${k}`} type={type} value={f[k]} onInput={e => setF({ ...f, [k]: (e.target as HTMLInputElement).value })} /></div>
  );
  return (
    <form class="filters" onSubmit={run} data-testid="simulate">
      {input('number', 'Dialed number')}{input('caller', 'Caller')}{input('digits', 'Digits (2,1234#)')}{input('at', 'Time', 'datetime-local')}
      <div class="filter-submit"><button type="submit">Simulate</button></div>
      <ErrorText error={error} />
      {answer && <pre class="transcript" data-testid="transcript">{answer.transcript}{answer.errors}</pre>}
    </form>
  );
}

function Graph(props: { text: () => string }) {
  const [graph, setGraph] = useState<GraphAnswer | null>(null);
  const [error, setError] = useState<unknown>(null);
  const show = async () => {
    setError(null);
    try { setGraph(await api.graph(props.text())); } catch (e) { setError(e instanceof ApiError && e.body ? new Error('the tree has errors: fix them first') : e); }
  };
  return (
    <div data-testid="graph">
      <button type="button" onClick={show}>Show the flow graph</button>
      <ErrorText error={error} />
      {graph?.flows?.map(f => <FlowGraph name={f.name} numbers={f.numbers} mermaid={f.mermaid} />)}
      <p class="hint">Drawn here from the same diagram as <code>ivr graph</code> (top to bottom from the call's arrival; dashed
        curves go back up). The Mermaid text is under each picture.</p>
    </div>
  );
}

export function ConfigEditor(props: { kind: ConfigKind }) {
  const host = useRef<HTMLDivElement>(null);
  const editor = useRef<Editor | null>(null);
  const text = useRef('');
  const [problems, setProblems] = useState<ConfigProblem[] | null>(null);
  const [versions, setVersions] = useState<ConfigVersion[]>([]);
  const [comment, setComment] = useState('');
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const timer = useRef<number | undefined>(undefined);
  const file = props.kind === 'ivr' ? 'ivr.yaml' : 'queues.yaml';

  const validate = async () => {
    try {
      const r = await api.validate(props.kind, text.current);
      setProblems(r.errors);
      editor.current?.setProblems(r.errors);
    } catch (e) { setError(e); }
  };
  const loadVersions = () => api.versions(props.kind).then(setVersions, setError);

  useEffect(() => {
    let destroyed = false;
    (async () => {
      const [fileAnswer, schema, { createEditor }] = await Promise.all([
        api.configFile(props.kind), props.kind === 'ivr' ? api.ivrSchema().catch(() => null) : Promise.resolve(null), import('./editor')]);
      if (destroyed || !host.current) return;
      text.current = fileAnswer.content;
      editor.current = createEditor(host.current, fileAnswer.content, `${file} editor (Tab indents; Escape then Tab leaves)`, schema, t => {
        text.current = t;
        setStatus(null);
        window.clearTimeout(timer.current);
        timer.current = window.setTimeout(() => void validate(), ValidateDelayMs);
      });
      void validate();
      void loadVersions();
    })().catch(setError);
    return () => { destroyed = true; window.clearTimeout(timer.current); editor.current?.destroy(); editor.current = null; };
  }, [props.kind]);

  const save = async () => {
    setError(null);
    setStatus('Saving…');
    try {
      const r = await api.save(props.kind, text.current, comment);
      setStatus(`Saved version ${r.version}${r.deployed === true ? ': deployed (new calls use it; calls in progress keep theirs)' : r.deployed === false ? ': saved, but the reload did not report in time' : ': deployed by the hot reload'}.`);
      setComment('');
      setProblems([]);
      editor.current?.setProblems([]);
      await loadVersions();
    } catch (e) {
      if (e instanceof ApiError && e.status === 422 && e.body && Array.isArray(e.body['errors'])) {
        const list = e.body['errors'] as ConfigProblem[];
        setProblems(list);
        editor.current?.setProblems(list);
        setStatus(`Not saved: ${list.length} problem(s). Nothing was deployed.`);
      } else { setStatus(null); setError(e); }
    }
  };
  const pick = (p: ConfigProblem) => {
    const view = editor.current?.view;
    if (!view) return;
    const line = view.state.doc.line(Math.min(Math.max(1, p.line), view.state.doc.lines));
    view.dispatch({ selection: { anchor: Math.min(line.from + p.column - 1, line.to) }, scrollIntoView: true });
    view.focus();
  };
  const rolledBack = async (v: number) => {
    const answer = await api.configFile(props.kind);
    text.current = answer.content;
    editor.current?.setText(answer.content);
    setStatus(`Rolled back: saved as version ${v} and deployed.`);
    await loadVersions();
  };

  return (
    <div class="config-editor" data-testid={`editor-${props.kind}`}>
      <Section title={`Edit ${file}`} actions={<>
        <label for={`comment-${props.kind}`}>Note</label>
        <input id={`comment-${props.kind}`} value={comment} onInput={e => setComment((e.target as HTMLInputElement).value)} placeholder="what changed" />
        <button type="button" class="primary" onClick={save} data-testid="save">Save and deploy</button>
      </>}>
        <div ref={host} class="code" />
        <p class="hint">Errors are marked in the gutter at their line (hover for the message) and listed
          below. Tab indents; to leave the editor with the keyboard press Escape, then Tab.</p>
        {status && <p role="status" data-testid="save-status">{status}</p>}
        <ErrorText error={error} />
        {problems && <Problems problems={problems} onPick={pick} />}
      </Section>
      {props.kind === 'ivr' && <>
        <Section title="Simulate"><Simulate text={() => text.current} /></Section>
        <Section title="Flow graph"><Graph text={() => text.current} /></Section>
      </>}
      <Section title="Versions"><Versions kind={props.kind} versions={versions} onRolledBack={rolledBack} /></Section>
    </div>
  );
}
