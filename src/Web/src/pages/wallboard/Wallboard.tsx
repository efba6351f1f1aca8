// Supervisor wallboard: per queue the callers waiting (number, name, priority, tags, ticking wait), longest wait,
// agents by state, today's service level, abandonment and ASA, alerts, charts and the agents' state timeline.
// Live from the event stream: every queue/call/agent event reloads the snapshot (debounced), within a second.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api/client';
import type { LiveCall, QueueCall, QueuesSnapshot } from '../../api/types';
import { Empty, ErrorText, Section, StateBadge, Ticking, Tile, useLive, useNow } from '../../ui/components';
import { duration, percent } from '../../ui/format';
import { AgentTimeline, useAgentSpans } from './AgentTimeline';
import { Alerts } from './Alerts';
import { DayCharts } from './DayCharts';
import { abandonLevel, serviceLevelLevel, waitLevel } from './thresholds';

const live = (t: string) => t.startsWith('queue.') || t.startsWith('call.') || t.startsWith('agent.') || t.startsWith('ivr.') || t.startsWith('supervision.');
const counts = (t: string) => t === 'queue.answered' || t === 'queue.abandoned' || t === 'queue.overflowed' || t === 'call.ended' || t === 'queue.entered';
const states = ['Available', 'Ringing', 'OnCall', 'WrapUp', 'Paused', 'LoggedOut'] as const;

function midnight(): string { const d = new Date(); d.setHours(0, 0, 0, 0); return d.toISOString(); }

export function Wallboard() {
  const snap = useLive<{ queues: QueuesSnapshot; calls: LiveCall[] }>(
    async () => { const [queues, calls] = await Promise.all([api.queues(), api.liveCalls()]); return { queues, calls }; }, live, 100);
  const today = useLive(() => api.today(), counts, 800);
  const spans = useAgentSpans(snap.data?.queues.agents);
  const [tv, setTv] = useState(new URLSearchParams(location.search).get('tv') === '1');
  const now = useNow();

  useEffect(() => {
    document.body.classList.toggle('tv', tv);
    return () => document.body.classList.remove('tv');
  }, [tv]);

  const toggleTv = () => {
    const next = !tv;
    setTv(next);
    if (next && document.documentElement.requestFullscreen) document.documentElement.requestFullscreen().catch(() => undefined);
    if (!next && document.fullscreenElement) document.exitFullscreen().catch(() => undefined);
  };

  const data = snap.data;
  const callers = new Map((data?.calls ?? []).map(c => [c.interactionId ?? c.id, c]));
  const waitOf = (c: QueueCall) => c.waitedSeconds + (now - snap.loadedAt) / 1000;
  const waiting = (data?.queues.queues ?? []).flatMap(q => q.calls.filter(c => c.state === 'Waiting' || c.agent === null));
  const longest = waiting.reduce((m, c) => Math.max(m, waitOf(c)), 0);
  const t = today.data;

  return (
    <main class={`page wallboard ${tv ? 'is-tv' : ''}`} data-testid="wallboard">
      <div class="page-head">
        <h1>Wallboard</h1>
        <button type="button" onClick={toggleTv} aria-pressed={tv}>{tv ? 'Leave big screen' : 'Big screen'}</button>
      </div>
      <ErrorText error={snap.error} />
      <div class="tiles" data-testid="tiles">
        <Tile label="Waiting now" value={waiting.length} testId="tile-waiting" />
        <Tile label="Longest wait" value={duration(longest)} level={waiting.length ? waitLevel(longest) : 'none'} testId="tile-longest" />
        <Tile label="Service level today" value={percent(t?.total.serviceLevel)} testId="tile-sl"
          level={t ? serviceLevelLevel(t.total.serviceLevel, t.serviceLevelTarget) : 'none'}
          hint={t ? `target ${Math.round(t.serviceLevelTarget * 100)} % in ${t.serviceLevelSeconds} s` : undefined} />
        <Tile label="Abandoned today" value={t ? `${t.total.abandoned} (${percent(t.total.abandonRate)})` : '–'} level={abandonLevel(t?.total.abandonRate ?? null)} testId="tile-abandoned" />
        <Tile label="ASA today" value={duration(t?.total.asaSeconds)} testId="tile-asa" />
        <Tile label="Answered today" value={t ? `${t.total.answered} of ${t.total.offered}` : '–'} testId="tile-answered" />
      </div>

      <div class="grid-2">
        <Section title="Queues">
          {(data?.queues.queues ?? []).filter(q => !q.retired).map(q => {
            const qWaiting = q.calls.filter(c => c.agent === null);
            const qLongest = qWaiting.reduce((m, c) => Math.max(m, waitOf(c)), 0);
            const qToday = t?.queues.find(x => x.queue === q.name);
            return (
              <article class="queue" data-testid={`queue-${q.name}`} aria-label={`Queue ${q.name}`}>
                <header class="queue-head">
                  <h3>{q.name}</h3>
                  <span>{qWaiting.length} waiting</span>
                  <span class={`chip level-${qWaiting.length ? waitLevel(qLongest) : 'none'}`}>longest {duration(qLongest)}</span>
                  <span>{q.staffedAgents} agents</span>
                  {qToday && <span>SL {percent(qToday.serviceLevel)} · abandoned {qToday.abandoned} · ASA {duration(qToday.asaSeconds)}</span>}
                </header>
                {q.calls.length === 0 ? <Empty>No callers.</Empty> : (
                  <table class="table compact">
                    <thead><tr><th>Caller</th><th>Name</th><th>Priority</th><th>Tags</th><th>Wait</th><th>Status</th></tr></thead>
                    <tbody>
                      {q.calls.map(c => {
                        const call = callers.get(c.interactionId);
                        return (
                          <tr data-testid="waiting-caller" data-interaction={c.interactionId}>
                            <td>{call?.caller ?? c.data['caller'] ?? '–'}</td>
                            <td>{c.data['name'] ?? c.data['customer_name'] ?? '–'}</td>
                            <td>{c.effectivePriority}{c.effectivePriority !== c.basePriority ? ` (base ${c.basePriority})` : ''}</td>
                            <td>{c.tags.length ? c.tags.map(tag => <span class="tag">{tag}</span>) : '–'}</td>
                            <td><span class={`chip level-${waitLevel(waitOf(c))}`}><Ticking seconds={c.waitedSeconds} since={snap.loadedAt} /></span></td>
                            <td>{c.agent ? `with ${c.agent}` : c.ringingAgents.length ? `ringing ${c.ringingAgents.join(', ')}` : 'waiting'}</td>
                          </tr>
                        );
                      })}
                    </tbody>
                  </table>
                )}
              </article>
            );
          })}
        </Section>
        <div>
          <Section title="Agents by state">
            <div class="state-counts">
              {states.map(s => <div class={`state-count state-${s}`}><StateBadge state={s} /> <strong>{(data?.queues.agents ?? []).filter(a => a.state === s).length}</strong></div>)}
            </div>
            <ul class="agent-list">
              {(data?.queues.agents ?? []).map(a => <li data-testid={`agent-${a.agent}`}>{a.agent} <StateBadge state={a.state} reason={a.pauseReason} /></li>)}
            </ul>
          </Section>
          <Section title="Alerts"><Alerts since={midnight()} /></Section>
        </div>
      </div>
      <Section title="Today">
        {t ? <DayCharts today={t} /> : <Empty>Loading…</Empty>}
        {t?.provisional && <p class="hint">Provisional figures from {t.source}.</p>}
      </Section>
      <Section title="Agent state timeline"><AgentTimeline spans={spans} /></Section>
    </main>
  );
}
