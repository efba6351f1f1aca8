// Supervisor wallboard: per queue the callers waiting (number, name, priority, tags, ticking wait), longest wait,
// agents by state, today's service level, abandonment and ASA, alerts, charts and the agents' state timeline.
// The callers come from the live snapshot (/api/queues); every figure from the statistics API (/api/stats/realtime,
// /api/stats/queues and /api/stats/agents per 15 minutes, docs/metrics.md). Live from the event stream: matching events
// reload what they change (debounced), the callers within a second.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api/client';
import type { LiveCall, QueueCall, QueuesSnapshot } from '../../api/types';
import { Empty, ErrorText, Section, StateBadge, Ticking, Tile, useLive, useNow } from '../../ui/components';
import { duration, percent } from '../../ui/format';
import { AgentTimeline } from './AgentTimeline';
import { Alerts } from './Alerts';
import { DayCharts } from './DayCharts';
import { addRows, agentCells, dayIntervals } from './figures';
import { abandonLevel, serviceLevelLevel, serviceLevelTarget, waitLevel } from './thresholds';

const live = (t: string) => t.startsWith('queue.') || t.startsWith('call.') || t.startsWith('agent.') || t.startsWith('ivr.') || t.startsWith('supervision.');
const changesNow = (t: string) => t.startsWith('queue.') || t === 'agent.state' || t === 'call.ended';
const counts = (t: string) => t === 'queue.answered' || t === 'queue.abandoned' || t === 'queue.overflowed' || t === 'queue.transferred' || t === 'call.ended' || t === 'queue.entered';
const states = ['Available', 'Ringing', 'OnCall', 'WrapUp', 'Paused', 'LoggedOut'] as const;
const IntervalMinutes = 15;

function midnight(): string { const d = new Date(); d.setHours(0, 0, 0, 0); return d.toISOString(); }

export function Wallboard() {
  const snap = useLive<{ queues: QueuesSnapshot; calls: LiveCall[] }>(
    async () => { const [queues, calls] = await Promise.all([api.queues(), api.liveCalls()]); return { queues, calls }; }, live, 100);
  const realtime = useLive(() => api.statsRealtime(), changesNow, 200);
  const day = useLive(() => api.statsQueues('15m'), counts, 800);
  const agentDay = useLive(() => api.statsAgents('15m'), t => t === 'agent.state', 1500);
  const [tv, setTv] = useState(new URLSearchParams(location.search).get('tv') === '1');
  const clock = useNow();

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
  const waitOf = (c: QueueCall) => c.waitedSeconds + (clock - snap.loadedAt) / 1000;
  const waiting = (data?.queues.queues ?? []).flatMap(q => q.calls.filter(c => c.state === 'Waiting' || c.agent === null));
  const rt = realtime.data;
  const sinceRealtime = (clock - realtime.loadedAt) / 1000;
  const longestOf = (seconds: number, count: number) => count > 0 ? seconds + sinceRealtime : 0;
  const longest = Math.max(0, ...(rt?.queues ?? []).map(q => longestOf(q.longestWaitSeconds, q.waiting)));
  const anyWaiting = (rt?.queues ?? []).some(q => q.waiting > 0);
  const t = day.data ? addRows(day.data.totals) : null;
  const intervals = day.data ? dayIntervals(day.data.rows, clock) : [];
  const cells = agentDay.data && intervals.length ? agentCells(agentDay.data.rows, intervals[0]!.start, clock) : new Map();
  const agents = rt?.agents ?? [];

  return (
    <main class={`page wallboard ${tv ? 'is-tv' : ''}`} data-testid="wallboard">
      <div class="page-head">
        <h1>Wallboard</h1>
        <button type="button" onClick={toggleTv} aria-pressed={tv}>{tv ? 'Leave big screen' : 'Big screen'}</button>
      </div>
      <ErrorText error={snap.error} />
      <div class="tiles" data-testid="tiles">
        <Tile label="Waiting now" value={waiting.length} testId="tile-waiting" />
        <Tile label="Longest wait" value={duration(longest)} level={anyWaiting ? waitLevel(longest) : 'none'} testId="tile-longest" />
        <Tile label="Service level today" value={percent(t?.serviceLevel)} testId="tile-sl"
          level={t ? serviceLevelLevel(t.serviceLevel, serviceLevelTarget) : 'none'}
          hint={`target ${Math.round(serviceLevelTarget * 100)} %${t?.serviceLevelSeconds ? ` in ${t.serviceLevelSeconds} s` : ''}`} />
        <Tile label="Abandoned today" value={t ? `${t.abandoned} (${percent(t.abandonRate)})` : '–'} level={abandonLevel(t?.abandonRate ?? null)} testId="tile-abandoned"
          hint="short abandons left out of the rate" />
        <Tile label="ASA today" value={duration(t?.asaSeconds)} testId="tile-asa" hint="average speed of answer" />
        <Tile label="Answered today" value={t ? `${t.answered} of ${t.offered}` : '–'} testId="tile-answered" />
      </div>
      <ErrorText error={realtime.error ?? day.error} />

      <div class="grid-2">
        <Section title="Queues">
          {(data?.queues.queues ?? []).filter(q => !q.retired).map(q => {
            const qWaiting = q.calls.filter(c => c.agent === null);
            const qLongest = qWaiting.reduce((m, c) => Math.max(m, waitOf(c)), 0);
            const qToday = day.data?.totals.find(x => x.queue === q.name);
            const qNow = rt?.queues.find(x => x.queue === q.name);
            return (
              <article class="queue" data-testid={`queue-${q.name}`} aria-label={`Queue ${q.name}`}>
                <header class="queue-head">
                  <h3>{q.name}</h3>
                  <span>{qWaiting.length} waiting</span>
                  <span class={`chip level-${qWaiting.length ? waitLevel(qLongest) : 'none'}`}>longest {duration(qLongest)}</span>
                  {qNow ? <span>{qNow.agentsAvailable} available · {qNow.agentsOnCall + qNow.agentsRinging + qNow.agentsWrapUp} busy · {qNow.agentsPaused} paused</span>
                    : <span>{q.staffedAgents} agents</span>}
                  {qToday && <span data-testid="queue-today">SL {percent(qToday.serviceLevel)} · answered {qToday.answered} of {qToday.offered} · abandoned {qToday.abandoned} · ASA {duration(qToday.asaSeconds)}</span>}
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
              {states.map(s => <div class={`state-count state-${s}`} data-testid={`count-${s}`}><StateBadge state={s} /> <strong>{agents.filter(a => a.state === s).length}</strong></div>)}
            </div>
            <ul class="agent-list">
              {agents.map(a => <li data-testid={`agent-${a.agent}`}>{a.agent} <StateBadge state={a.state} reason={a.reason} />
                {a.since && a.state !== 'LoggedOut' && <span class="muted"> {duration((clock - Date.parse(a.since)) / 1000)}</span>}</li>)}
            </ul>
          </Section>
          <Section title="Alerts"><Alerts since={midnight()} /></Section>
        </div>
      </div>
      <Section title="Today">
        {day.data ? <DayCharts intervals={intervals} intervalMinutes={IntervalMinutes} target={serviceLevelTarget}
          serviceLevelSeconds={t?.serviceLevelSeconds ?? null} /> : <Empty>Loading…</Empty>}
      </Section>
      <Section title="Agent state timeline">
        <ErrorText error={agentDay.error} />
        <AgentTimeline cells={cells} agents={agents} intervalMinutes={IntervalMinutes} />
      </Section>
    </main>
  );
}
