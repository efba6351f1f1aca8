// The flow graph drawn as SVG (layout in flowLayout.ts; no library, nothing from the internet, no inline style: the CSP
// holds). A described image for screen readers, plus the same graph as a list of transitions and the Mermaid text.
import { useState } from 'preact/hooks';
import { edgePath, layoutFlow, NodeHeight } from './flowLayout';

export function FlowGraph(props: { name: string; numbers: string[]; mermaid: string }) {
  const [withErrors, setWithErrors] = useState(false);
  const g = layoutFlow(props.mermaid, withErrors);
  const byId = new Map(g.nodes.map(n => [n.id, n]));
  const id = `flow-${props.name.replace(/[^a-zA-Z0-9_-]/g, '')}`;
  // Edge labels that would overlap another are moved down a line (a few times at most).
  const placed: { x: number; y: number; w: number }[] = [];
  const place = (x: number, y: number, text: string) => {
    const w = text.length * 6.2;
    for (let i = 0; i < 4 && placed.some(p => Math.abs(p.x - x) < (p.w + w) / 2 && Math.abs(p.y - y) < 11); i++) y += 11;
    placed.push({ x, y, w });
    return y;
  };
  const summary = g.edges.map(e => `${byId.get(e.from)?.label} → ${byId.get(e.to)?.label}${e.labels.length ? ` (${e.labels.join(', ')})` : ''}`);
  return (
    <figure class="flow" data-testid="flow-graph" data-flow={props.name}>
      <figcaption>Flow <strong>{props.name}</strong>{props.numbers.length ? ` (${props.numbers.join(', ')})` : ' (no numbers)'}:
        {' '}{g.nodes.length} nodes, {g.edges.length} transitions</figcaption>
      <label class="check"><input type="checkbox" checked={withErrors} onChange={e => setWithErrors((e.target as HTMLInputElement).checked)} />
        {' '}Show the error transitions</label>
      <div class="flow-scroll">
        <svg viewBox={`0 0 ${g.width} ${g.height}`} width={g.width} height={g.height} role="img" aria-labelledby={`${id}-t ${id}-d`}>
          <title id={`${id}-t`}>IVR flow {props.name}</title>
          <desc id={`${id}-d`}>{summary.join('; ')}</desc>
          <defs>
            <marker id={`${id}-arrow`} viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
              <path d="M0,0 L10,5 L0,10 z" class="flow-arrow" />
            </marker>
          </defs>
          {g.edges.map(e => {
            const a = byId.get(e.from), b = byId.get(e.to);
            if (!a || !b) return null;
            const p = edgePath(a, b, e.back, g.width, g.nodes);
            return (
              <g class={`flow-edge${e.back ? ' back' : ''}${e.error ? ' error' : ''}`} data-from={e.from} data-to={e.to}>
                <path d={p.d} marker-end={`url(#${id}-arrow)`} />
                {e.labels.length > 0 && <text x={p.lx} y={place(p.lx, p.ly - 3, e.labels.join(', '))} text-anchor="middle">{e.labels.join(', ')}</text>}
              </g>
            );
          })}
          {g.nodes.map(n => (
            <g class={`flow-node${n.start ? ' start' : ''}`} data-node={n.id} data-testid="flow-node">
              <rect x={n.x} y={n.y} width={n.width} height={NodeHeight} rx={n.start ? 15 : 6} />
              <text x={n.x + n.width / 2} y={n.y + NodeHeight / 2 + 4} text-anchor="middle">{n.label}</text>
            </g>
          ))}
        </svg>
      </div>
      <details>
        <summary>The same as text ({summary.length} transitions) and as Mermaid</summary>
        <ul class="flow-list">{summary.map(s => <li>{s}</li>)}</ul>
        <pre class="mermaid-text">{props.mermaid}</pre>
      </details>
    </figure>
  );
}
