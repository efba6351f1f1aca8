// Agent state timeline from /api/stats/agents?interval=15m: one row per agent, one cell per interval of the day, each
// cell split by the time spent in each state (a state's share of the cell's width), with the current state and how
// long it has lasted from /api/stats/realtime. Every cell has a title and every row a text summary: colour is never
// the only cue.
import type { RealtimeAgent } from '../../api/types';
import { StateBadge, useNow } from '../../ui/components';
import { duration, stateLabels } from '../../ui/format';
import type { AgentCell } from './figures';

const parts: [keyof AgentCell, string][] = [
  ['available', 'Available'], ['ringing', 'Ringing'], ['onCall', 'OnCall'], ['wrapUp', 'WrapUp'], ['paused', 'Paused'], ['loggedOut', 'LoggedOut'],
];
const CellWidth = 100;

function clock(ms: number): string { return new Date(ms).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }); }

function describe(cells: AgentCell[]): string {
  const total = new Map<string, number>();
  for (const c of cells) for (const [key, state] of parts) if (state !== 'LoggedOut') total.set(state, (total.get(state) ?? 0) + (c[key] as number));
  const spent = [...total.entries()].filter(([, s]) => s >= 1).map(([state, s]) => `${stateLabels[state]} ${duration(s)}`);
  return spent.length ? spent.join(', ') : 'not logged in';
}

export function AgentTimeline(props: { cells: Map<string, AgentCell[]>; agents: RealtimeAgent[]; intervalMinutes: number }) {
  const now = useNow();
  const agents = props.agents.map(a => a.agent);
  const columns = [...props.cells.values()][0]?.map(c => c.start) ?? [];
  if (columns.length === 0) return <p class="empty">No agent activity today yet.</p>;
  return (
    <div class="timeline" data-testid="agent-timeline">
      <div class="timeline-scale" aria-hidden="true">
        <span>{clock(columns[0]!)}</span><span>{clock(columns[Math.floor(columns.length / 2)]!)}</span><span>now</span>
      </div>
      {agents.map(agent => {
        const cells = props.cells.get(agent) ?? [];
        const current = props.agents.find(a => a.agent === agent);
        const since = current?.since ? Date.parse(current.since) : null;
        return (
          <div class="timeline-row" data-testid={`timeline-${agent}`}>
            <span class="timeline-agent">{agent}</span>
            <svg class="timeline-bars" viewBox={`0 0 ${Math.max(1, cells.length) * CellWidth} 20`} preserveAspectRatio="none" role="img"
              aria-label={`${agent} today: ${describe(cells)}`}>
              {cells.map((c, i) => {
                const length = parts.reduce((n, [key]) => n + (c[key] as number), 0) || 1;
                let x = i * CellWidth;
                return parts.map(([key, state]) => {
                  const w = ((c[key] as number) / length) * CellWidth;
                  if (w <= 0) return null;
                  const rect = <rect class={`bar state-${state}`} x={x} y={0} width={w} height={20}>
                    <title>{`${clock(c.start)}–${clock(c.end)}: ${stateLabels[state]} ${duration(c[key] as number)}`}</title>
                  </rect>;
                  x += w;
                  return rect;
                });
              })}
            </svg>
            <span class="timeline-now">
              {current ? <StateBadge state={current.state} reason={current.reason} /> : null}
              {since !== null && <span class="muted"> for {duration((now - since) / 1000)}</span>}
            </span>
          </div>
        );
      })}
      <p class="hint">One cell per {props.intervalMinutes} minutes, split by the time spent in each state (hover a cell for its figures).</p>
    </div>
  );
}
