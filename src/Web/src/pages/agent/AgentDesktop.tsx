// Agent desktop: state buttons (available, pause with a reason, log out) with the time in state; the screen pop when a
// call rings; notes and disposition codes during and after the call, and a blind transfer to a queue or an extension;
// the wrap-up countdown; callback tasks; the agent's own statistics of the day (/api/stats/agents, docs/metrics.md §4). Live from the
// agent's own event stream (rung, answered, transferred, ended, agent.state).
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../../api/client';
import { events } from '../../api/events';
import type { AgentInfo, Me } from '../../api/types';
import { ErrorText, Section, StateBadge, Tile, useLive, useNow } from '../../ui/components';
import { duration, percent } from '../../ui/format';
import { PhonePanel } from './phone/PhonePanel';
import { ScreenPop } from './ScreenPop';
import { CallbackTasks } from './CallbackTasks';
import { Disposition, type DispositionTarget } from './Disposition';

const pauseReasons = ['Break', 'Lunch', 'Meeting', 'Training', 'Back office'];
const mineFilter = () => true; // the server sends an agent only its own events
const myStats = (t: string) => t === 'agent.state' || t === 'call.ended' || t === 'queue.answered';

/** When the agent entered its current state: the server's time of the last agent.state event seen, else when the page
 * first saw the state. */
function useStateSince(ext: string, agent: AgentInfo | null): number {
  const since = useRef(Date.now());
  const last = useRef<string | null>(null);
  const [, setTick] = useState(0);
  useEffect(() => events.subscribe(e => {
    if (e.type !== 'agent.state' || e.payload['agent'] !== ext) return;
    since.current = Date.parse(e.occurredAt);
    last.current = String(e.payload['to']);
    setTick(t => t + 1);
  }), [ext]);
  if (agent && agent.state !== last.current) {
    since.current = Date.now();
    last.current = agent.state;
  }
  return since.current;
}

export function AgentDesktop(props: { me: Me }) {
  const ext = props.me.user;
  const agent = useLive(() => api.agent(ext), mineFilter, 50);
  const pop = useLive(() => api.screenPop(ext), mineFilter, 50);
  const stats = useLive(() => api.statsAgents('day', ext), myStats, 1000);
  const [reason, setReason] = useState(pauseReasons[0]!);
  const [error, setError] = useState<unknown>(null);
  const [notes, setNotes] = useState('');
  const [transferTarget, setTarget] = useState('');
  const [transferMessage, setTransferMessage] = useState<unknown>(null);
  const now = useNow();
  const a = agent.data;
  const since = useStateSince(ext, a);
  const [transferring, setTransferring] = useState(false);

  useEffect(() => { if (pop.data?.interaction && !pop.data.interaction.ringing) setTransferMessage(null); }, [pop.data?.interaction?.id]);

  // The call the disposition goes on: the connected one, kept after it ends (wrap-up) until the next one connects.
  const [target, setDispositionTarget] = useState<DispositionTarget | null>(null);
  const live = pop.data?.interaction;
  useEffect(() => {
    if (live && !live.ringing && live.callId) {
      if (target && target.callId !== live.callId) setNotes(''); // a new call: the last one's notes are saved or dropped
      setDispositionTarget({ callId: live.callId, queue: live.queue, caller: live.caller, live: true });
    } else if (pop.data && target?.live) {
      setDispositionTarget({ ...target, live: false });
    }
  }, [live?.callId, live?.ringing, pop.data]);
  // Opened (or reloaded) after a call: the codes go on the agent's last queue call.
  useEffect(() => {
    api.searchCalls({ agent: ext, page: 1, pageSize: 1 }).then(r => {
      const last = r.items[0];
      if (last?.queue && last.endedAt) setDispositionTarget(t => t ?? { callId: last.id, queue: last.queue!, caller: last.caller, live: false });
    }, () => undefined);
  }, [ext]);

  const act = async (action: 'login' | 'logout' | 'pause' | 'resume') => {
    setError(null);
    try { await api.agentAction(ext, action, action === 'pause' ? reason : undefined); agent.reload(); } catch (e) { setError(e); }
  };
  const transfer = async (e: Event) => {
    e.preventDefault();
    setTransferMessage(null);
    setTransferring(true);
    try {
      const r = await api.transfer(ext, transferTarget.trim());
      setTransferMessage(`Transferred to ${r.kind} ${r.target}.`);
      setTarget('');
      pop.reload();
    } catch (err) { setTransferMessage(err); } finally { setTransferring(false); }
  };

  const wrapUp = a?.wrapUpSeconds ?? 0;
  const mine = stats.data?.totals[0] ?? null;
  const inState = (now - since) / 1000;
  const connected = pop.data?.interaction && !pop.data.interaction.ringing;

  return (
    <main class="page agent" data-testid="agent-desktop">
      <h1>Agent desktop: {ext}</h1>
      <Section title="My state">
        <div class="state-bar">
          <span class="big-state" data-testid="agent-state">{a ? <StateBadge state={a.state} reason={a.pauseReason} /> : '…'}</span>
          <span>for <span data-testid="time-in-state">{duration(inState)}</span></span>
          {a?.state === 'WrapUp' && (
            <span class="wrapup" role="timer" data-testid="wrapup">Wrap-up: {duration(Math.max(0, wrapUp - inState))} left</span>
          )}
        </div>
        <div class="buttons">
          <button type="button" class="primary" onClick={() => act(a?.state === 'Paused' ? 'resume' : 'login')}
            disabled={!a || (a.state !== 'Paused' && a.state !== 'LoggedOut')}>Available</button>
          <label for="pause-reason">Pause reason</label>
          <select id="pause-reason" value={reason} onChange={e => setReason((e.target as HTMLSelectElement).value)}>
            {pauseReasons.map(r => <option>{r}</option>)}
          </select>
          <button type="button" onClick={() => act('pause')} disabled={!a || a.state === 'LoggedOut' || a.state === 'Paused'}>Pause</button>
          <button type="button" onClick={() => act('logout')} disabled={!a || a.state === 'LoggedOut'}>Log out</button>
        </div>
        <ErrorText error={error ?? agent.error} />
      </Section>

      <div class="grid-2">
        <div>
          <Section title="Caller">
            <ErrorText error={pop.error} />
            {pop.data && <ScreenPop pop={pop.data} loadedAt={pop.loadedAt} ext={ext} />}
          </Section>
          <Section title="My callback tasks"><CallbackTasks ext={ext} /></Section>
        </div>
        <div>
          <PhonePanel />
          <Section title="During the call">
            <label for="call-notes">Notes</label>
            <textarea id="call-notes" rows={4} value={notes} onInput={e => setNotes((e.target as HTMLTextAreaElement).value)}
              placeholder="Notes about this call (saved with the disposition)" />
            <Disposition target={target} note={notes} />
            <form class="inline" onSubmit={transfer} data-testid="transfer">
              <label for="transfer-target">Transfer to a queue or an extension</label>
              <input id="transfer-target" list="transfer-queues" value={transferTarget} required aria-describedby="transfer-hint"
                onInput={e => setTarget((e.target as HTMLInputElement).value)} placeholder="sales or 1002" autocomplete="off" />
              <datalist id="transfer-queues">{(a?.transferQueues ?? []).map(q => <option value={q}>queue {q}</option>)}</datalist>
              <button type="submit" disabled={!connected || transferring}>{transferring ? 'Transferring…' : 'Transfer'}</button>
            </form>
            <p id="transfer-hint" class="hint">Blind transfer: a queue name ({(a?.transferQueues ?? []).join(', ') || 'none'}) or an extension number.
              If the target cannot take the call, the caller stays with you.</p>
            <ErrorText error={transferMessage instanceof Error ? transferMessage : null} />
            {typeof transferMessage === 'string' && <p role="status" data-testid="transfer-status">{transferMessage}</p>}
          </Section>
          <Section title="My day">
            <ErrorText error={stats.error} />
            <div class="tiles small" data-testid="my-stats">
              <Tile label="Calls handled" value={mine?.handled ?? '–'} testId="my-handled" />
              <Tile label="Talk time" value={duration(mine?.talkSeconds)} testId="my-talk" />
              <Tile label="Average talk" value={duration(mine && mine.handled > 0 ? mine.talkSeconds / mine.handled : null)} />
              <Tile label="Wrap-up time" value={duration(mine?.wrapUpSeconds)} />
              <Tile label="Available" value={duration(mine?.availableSeconds)} />
              <Tile label="Paused" value={duration(mine?.pausedSeconds)} testId="my-paused" />
              <Tile label="Logged in" value={duration(mine?.staffedSeconds)} testId="my-staffed" />
              <Tile label="Occupancy" value={percent(mine?.occupancy)} hint="talk and wrap-up ÷ logged-in time" />
            </div>
          </Section>
        </div>
      </div>
    </main>
  );
}
