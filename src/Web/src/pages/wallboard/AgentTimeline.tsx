// Agent state timeline: each agent's states as bars over the last hour, with the state written in each bar's title and
// in a text list. Fed by the snapshots the wallboard already loads (until the statistics API serves agent spans).
import { useEffect, useRef, useState } from 'preact/hooks';
import type { AgentInfo } from '../../api/types';
import { useNow } from '../../ui/components';
import { stateLabels } from '../../ui/format';

interface Span { state: string; from: number; to: number | null }
const WindowMs = 60 * 60 * 1000;

export function useAgentSpans(agents: AgentInfo[] | undefined): Map<string, Span[]> {
  const spans = useRef(new Map<string, Span[]>());
  const [, setTick] = useState(0);
  useEffect(() => {
    if (!agents) return;
    const now = Date.now();
    let changed = false;
    for (const a of agents) {
      const list = spans.current.get(a.agent) ?? [];
      const last = list[list.length - 1];
      if (!last || last.state !== a.state) {
        if (last) last.to = now;
        list.push({ state: a.state, from: now, to: null });
        spans.current.set(a.agent, list.filter(s => s.to === null || now - s.to < WindowMs));
        changed = true;
      }
    }
    if (changed) setTick(t => t + 1);
  }, [agents]);
  return spans.current;
}

export function AgentTimeline(props: { spans: Map<string, Span[]> }) {
  const now = useNow(5000);
  const start = now - WindowMs;
  const agents = [...props.spans.keys()].sort();
  return (
    <div class="timeline" data-testid="agent-timeline">
      <div class="timeline-scale" aria-hidden="true"><span>−60 min</span><span>−30 min</span><span>now</span></div>
      {agents.map(agent => (
        <div class="timeline-row">
          <span class="timeline-agent">{agent}</span>
          <svg class="timeline-bars" viewBox="0 0 1000 20" preserveAspectRatio="none" role="img"
            aria-label={`${agent}: ${(props.spans.get(agent) ?? []).map(s => stateLabels[s.state] ?? s.state).join(', then ')}`}>
            {(props.spans.get(agent) ?? []).map(s => {
              const from = Math.max(s.from, start), to = s.to ?? now;
              if (to <= start) return null;
              const x = ((from - start) / WindowMs) * 1000, w = Math.max(2, ((to - from) / WindowMs) * 1000);
              return <rect class={`bar state-${s.state}`} x={x} y={0} width={w} height={20}><title>{stateLabels[s.state] ?? s.state}</title></rect>;
            })}
          </svg>
        </div>
      ))}
      <p class="hint">History since this page opened: the statistics API will provide the whole day.</p>
    </div>
  );
}
