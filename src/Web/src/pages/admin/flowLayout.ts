// The IVR flow graph as a picture: parses the server's Mermaid state diagram (Stateless's export, as `ivr graph` prints
// it: "id : label" lines and "a --> b : Trigger [guard]" lines) and lays it out in layers, top to bottom: each node's
// layer is its distance from the start, nodes in a layer ordered by the mean position of their parents (a few sweeps of
// the barycenter heuristic), parallel edges merged with their guards joined. Pure functions, no DOM: FlowGraph.tsx
// draws the result as SVG.

export interface FlowNode { id: string; label: string; layer: number; x: number; y: number; width: number; start: boolean }
export interface FlowEdge { from: string; to: string; labels: string[]; back: boolean; error: boolean }
export interface FlowLayout { nodes: FlowNode[]; edges: FlowEdge[]; width: number; height: number }

export const NodeHeight = 30;
const LayerGap = 64, NodeGap = 40, Margin = 16, CharWidth = 7.2, Padding = 20;

/** Nodes and edges of the diagram; the Finish edges to the end state (every node has one) are left out. */
export function parseMermaid(text: string): { labels: Map<string, string>; edges: FlowEdge[] } {
  const labels = new Map<string, string>();
  const merged = new Map<string, FlowEdge>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    const edge = /^(\S+)\s*-->\s*(\S+)\s*(?::\s*(.*))?$/.exec(line);
    if (edge) {
      const [, from, to, trigger] = edge as unknown as [string, string, string, string | undefined];
      if (to === '_end' || to === '[*]' || from === '[*]' || (from === to && !trigger)) continue;
      const guard = /\[(.*)\]/.exec(trigger ?? '')?.[1] ?? (trigger ?? '').trim();
      const key = from + '\u0000' + to;
      const e = merged.get(key) ?? { from, to, labels: [], back: false, error: true };
      if (guard && !e.labels.includes(guard)) e.labels.push(guard);
      e.error &&= guard === 'error';
      merged.set(key, e);
      continue;
    }
    const decl = /^(\S+)\s*:\s*(.+)$/.exec(line);
    if (decl && !line.startsWith('stateDiagram')) labels.set(decl[1]!, decl[2]!.trim());
  }
  return { labels, edges: [...merged.values()] };
}

/** Lays out the graph; <paramref name="withErrors"/> false leaves out edges taken only on an error. */
export function layoutFlow(text: string, withErrors: boolean): FlowLayout {
  const parsed = parseMermaid(text);
  const edges = parsed.edges.filter(e => withErrors || !e.error);
  const ids: string[] = [];
  const add = (id: string) => { if (!ids.includes(id)) ids.push(id); };
  for (const e of parsed.edges) { add(e.from); add(e.to); }
  for (const id of parsed.labels.keys()) add(id);

  // Layers: the edges that close a cycle (found depth-first from the start) go back up; on the rest, a node's layer is
  // its longest path from the start, so every other edge points down.
  const out = new Map<string, FlowEdge[]>(ids.map(id => [id, []]));
  for (const e of edges) out.get(e.from)!.push(e);
  const roots = ids.includes('_start') ? ['_start'] : ids.slice(0, 1);
  const state = new Map<string, 'open' | 'done'>();
  const visit = (id: string) => {
    state.set(id, 'open');
    for (const e of out.get(id) ?? []) {
      const s = state.get(e.to);
      if (s === 'open') e.back = true; else if (!s) visit(e.to);
    }
    state.set(id, 'done');
  };
  roots.forEach(visit);
  ids.filter(id => !state.has(id)).forEach(visit);
  const layer = new Map<string, number>();
  const depth = (id: string): number => {
    const known = layer.get(id);
    if (known !== undefined) return known;
    layer.set(id, 0);
    const parents = edges.filter(e => e.to === id && !e.back);
    const d = parents.length ? Math.max(...parents.map(e => depth(e.from) + 1)) : 0;
    layer.set(id, d);
    return d;
  };
  ids.forEach(depth);
  // A node with no way in among the edges shown (reached only on an error) goes below the rest.
  const bottom = Math.max(0, ...layer.values()) + 1;
  for (const id of ids) if (!roots.includes(id) && !edges.some(e => e.to === id)) layer.set(id, bottom);

  // Order within layers: barycenter of the parents' positions, then of the children's, twice.
  const layers: string[][] = [];
  for (const id of ids) (layers[layer.get(id)!] ??= []).push(id);
  const rows = layers.filter(l => l && l.length);
  const pos = new Map<string, number>();
  const index = () => rows.forEach(r => r.forEach((id, i) => pos.set(id, i / Math.max(1, r.length - 1))));
  index();
  const forward = edges.filter(e => !e.back);
  for (let sweep = 0; sweep < 4; sweep++) {
    const down = sweep % 2 === 0;
    for (const row of down ? rows.slice(1) : rows.slice(0, -1).reverse()) {
      const score = (id: string) => {
        const near = forward.filter(e => (down ? e.to === id : e.from === id)).map(e => pos.get(down ? e.from : e.to)!);
        return near.length ? near.reduce((a, b) => a + b, 0) / near.length : pos.get(id)!;
      };
      const scores = new Map(row.map(id => [id, score(id)]));
      row.sort((a, b) => scores.get(a)! - scores.get(b)!);
      index();
    }
  }

  // Coordinates: each row centred on the widest.
  const widthOf = (id: string) => Math.max(60, (labelOf(id, parsed.labels).length * CharWidth) + Padding);
  const rowWidth = (r: string[]) => r.reduce((n, id) => n + widthOf(id), 0) + NodeGap * (r.length - 1);
  const width = Math.max(...rows.map(rowWidth)) + Margin * 2 + 80; // room for back edges on the right
  const nodes: FlowNode[] = [];
  rows.forEach((r, i) => {
    let x = Margin + (width - 80 - Margin * 2 - rowWidth(r)) / 2;
    for (const id of r) {
      const w = widthOf(id);
      nodes.push({ id, label: labelOf(id, parsed.labels), layer: i, x, y: Margin + i * (NodeHeight + LayerGap), width: w, start: id === '_start' });
      x += w + NodeGap;
    }
  });
  return { nodes, edges, width, height: Margin * 2 + rows.length * (NodeHeight + LayerGap) - LayerGap };
}

function labelOf(id: string, labels: Map<string, string>): string {
  return id === '_start' ? 'call arrives' : labels.get(id) ?? id;
}

/** The SVG path of an edge: a curve down to the next rows (passing beside the boxes of the rows it crosses), or around
 * the right side for one going back up. */
export function edgePath(a: FlowNode, b: FlowNode, back: boolean, width: number, nodes: FlowNode[]): { d: string; lx: number; ly: number } {
  if (!back) {
    const x1 = a.x + a.width / 2, y1 = a.y + NodeHeight, x2 = b.x + b.width / 2, y2 = b.y;
    const points: [number, number][] = [[x1, y1]];
    for (let layer = a.layer + 1; layer < b.layer; layer++) {
      const row = nodes.filter(n => n.layer === layer);
      const y = row[0] ? row[0].y + NodeHeight / 2 : y1 + (y2 - y1) * (layer - a.layer) / (b.layer - a.layer);
      let x = x1 + (x2 - x1) * (y - y1) / (y2 - y1);
      const hit = row.find(n => x > n.x - 8 && x < n.x + n.width + 8);
      if (hit) x = x - hit.x < hit.x + hit.width - x ? hit.x - 12 : hit.x + hit.width + 12;
      points.push([x, y]);
    }
    points.push([x2, y2]);
    let d = `M${x1},${y1}`;
    for (let i = 1; i < points.length; i++) {
      const [px, py] = points[i - 1]!, [qx, qy] = points[i]!, my = (py + qy) / 2;
      d += ` C${px},${my} ${qx},${my} ${qx},${qy}`;
    }
    const [lx, ly] = points.length > 2 ? points[1]! : [(x1 + x2) / 2, (y1 + y2) / 2];
    return { d, lx, ly: points.length > 2 ? ly - NodeHeight / 2 - 4 : ly };
  }
  const x1 = a.x + a.width, y1 = a.y + NodeHeight / 2, x2 = b.x + b.width, y2 = b.y + NodeHeight / 2;
  const side = Math.min(width - 8, Math.max(x1, x2) + 40 + Math.abs(a.layer - b.layer) * 6);
  return { d: `M${x1},${y1} C${side},${y1} ${side},${y2} ${x2},${y2}`, lx: side - 4, ly: (y1 + y2) / 2 };
}
