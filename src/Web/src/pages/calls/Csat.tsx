// A CSAT score (1-5, post-call survey) as text and colour: "2 / 5 (low)"; a dash when the caller gave none.
export function Csat(props: { score: number | null | undefined; long?: boolean }) {
  const s = props.score;
  if (s === null || s === undefined) return <span class="muted">{props.long ? 'no survey answer' : '–'}</span>;
  const level = s <= 2 ? 'low' : s >= 4 ? 'high' : 'mid';
  return <span class={`csat csat-${level}`} data-score={s}>{s} / 5{level !== 'mid' ? ` (${level})` : ''}</span>;
}
