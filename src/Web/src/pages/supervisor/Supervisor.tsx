// Supervisor controls: the live calls (caller, agent, queue, duration, IVR path) with listen / whisper / barge /
// take-over, which call the supervisor's own phone (POST /api/supervise) and then switch mode
// (POST /api/supervise/{id}/mode); and the agents with log out / pause (with a reason) / resume / log in. The page has
// its own browser phone: with it on, the supervision call rings this page and is answered at once.
import { useState } from 'preact/hooks';
import { api } from '../../api/client';
import type { AgentInfo, LiveCall } from '../../api/types';
import { Empty, ErrorText, Section, StateBadge, Ticking, useLive } from '../../ui/components';
import { session } from '../../ui/session';
import { PhonePanel } from '../agent/phone/PhonePanel';
import { expectSupervisionCall } from '../agent/phone/sipPhone';

const modes = [
  { mode: 'listen', label: 'Listen' },
  { mode: 'whisper', label: 'Whisper' },
  { mode: 'barge', label: 'Barge' },
  { mode: 'takeover', label: 'Take over' },
] as const;
const pauseReasons = ['Break', 'Lunch', 'Meeting', 'Training', 'Coaching'];
const live = (t: string) => t.startsWith('call.') || t.startsWith('queue.') || t.startsWith('supervision.') || t.startsWith('agent.') || t.startsWith('ivr.');

function CallRow(props: { call: LiveCall; loadedAt: number; onChanged: () => void }) {
  const c = props.call;
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const me = session.get().me!;
  const sup = c.supervision;
  const mine = sup !== null && (sup.supervisor === me.user || me.role === 'admin');
  const act = async (mode: string) => {
    setBusy(mode);
    setError(null);
    try {
      if (sup && mine) await api.superviseMode(sup.id, mode);
      else if (c.agent) {
        expectSupervisionCall();
        await api.supervise(c.agent, mode === 'takeover' ? 'barge' : mode).then(a => mode === 'takeover' ? api.superviseMode(a.id, 'takeover') : undefined);
      }
      props.onChanged();
    } catch (e) { setError(e); } finally { setBusy(null); }
  };
  return (
    <tr data-testid="live-call" data-call={c.id}>
      <td>{c.caller ?? '–'}{c.node && <> <span class="badge" data-testid="call-node" title="cluster node">{c.node}</span></>}</td>
      <td>{c.agent ?? '–'}</td>
      <td>{c.queue ?? '–'}</td>
      <td><Ticking seconds={c.durationSeconds} since={props.loadedAt} /></td>
      <td class="path">{c.ivrPath ?? '–'}</td>
      <td>
        {sup ? <span class="badge mode" data-testid="supervision-mode">{sup.mode} by {sup.supervisor}{sup.joined ? '' : ' (ringing)'}</span> : <span class="muted">not supervised</span>}
        {busy && <span class="muted" role="status"> {sup ? 'switching…' : 'calling your phone…'}</span>}
        <ErrorText error={error} />
      </td>
      <td class="actions">
        {modes.map(m => (
          <button type="button" disabled={!c.agent || busy !== null || (sup !== null && !mine) || sup?.mode.toLowerCase() === m.mode}
            aria-pressed={sup?.mode.toLowerCase() === m.mode} onClick={() => act(m.mode)}
            title={sup ? `Switch to ${m.label.toLowerCase()}` : `Call my phone (${me.user}) and ${m.label.toLowerCase()}`}>{m.label}</button>
        ))}
      </td>
    </tr>
  );
}

function AgentRow(props: { agent: AgentInfo; onChanged: () => void }) {
  const a = props.agent;
  const [reason, setReason] = useState(pauseReasons[0]!);
  const [error, setError] = useState<unknown>(null);
  const act = async (action: 'login' | 'logout' | 'pause' | 'resume') => {
    setError(null);
    try { await api.agentAction(a.agent, action, action === 'pause' ? reason : undefined); props.onChanged(); } catch (e) { setError(e); }
  };
  const id = `reason-${a.agent}`;
  return (
    <tr data-testid={`agent-row-${a.agent}`}>
      <td>{a.agent}</td>
      <td><StateBadge state={a.state} reason={a.pauseReason} /></td>
      <td>{a.queues.join(', ')}</td>
      <td class="actions">
        {a.state === 'LoggedOut'
          ? <button type="button" onClick={() => act('login')}>Log in</button>
          : <button type="button" onClick={() => act('logout')}>Log out</button>}
        {a.state === 'Paused'
          ? <button type="button" onClick={() => act('resume')}>Resume</button>
          : <>
              <label class="sr-only" for={id}>Pause reason for {a.agent}</label>
              <select id={id} value={reason} onChange={e => setReason((e.target as HTMLSelectElement).value)} disabled={a.state === 'LoggedOut'}>
                {pauseReasons.map(r => <option>{r}</option>)}
              </select>
              <button type="button" onClick={() => act('pause')} disabled={a.state === 'LoggedOut'}>Pause</button>
            </>}
        <ErrorText error={error} />
      </td>
    </tr>
  );
}

export function Supervisor() {
  const calls = useLive(() => api.liveCalls(), live, 100);
  const queues = useLive(() => api.queues(), live, 100);
  const reload = () => { calls.reload(); queues.reload(); };
  return (
    <main class="page supervisor" data-testid="supervisor">
      <h1>Supervisor</h1>
      <Section title="Live calls">
        <ErrorText error={calls.error} />
        {calls.data && calls.data.length === 0 ? <Empty>No calls in progress.</Empty> : (
          <table class="table">
            <thead><tr><th>Caller</th><th>Agent</th><th>Queue</th><th>Duration</th><th>IVR path</th><th>Supervision</th><th>Actions</th></tr></thead>
            <tbody>{(calls.data ?? []).map(c => <CallRow call={c} loadedAt={calls.loadedAt} onChanged={reload} />)}</tbody>
          </table>
        )}
        <p class="hint">Listen, whisper, barge and take over call your own phone ({session.get().me?.user}); answer it to join (the browser phone below joins at once). The current mode is shown and can be switched.</p>
      </Section>
      <PhonePanel />
      <Section title="Agents">
        <ErrorText error={queues.error} />
        <table class="table">
          <thead><tr><th>Agent</th><th>State</th><th>Queues</th><th>Actions</th></tr></thead>
          <tbody>{(queues.data?.agents ?? []).map(a => <AgentRow agent={a} onChanged={reload} />)}</tbody>
        </table>
      </Section>
    </main>
  );
}
