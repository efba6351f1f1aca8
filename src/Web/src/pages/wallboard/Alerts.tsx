// Alerts as they happen: missed calls (alert.created), callbacks requested, voicemails and low CSAT scores when the
// server emits them (callback.requested, voicemail.left, survey.completed: not emitted yet).
import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api/client';
import { events } from '../../api/events';
import type { ServerEvent } from '../../api/types';
import { time } from '../../ui/format';

interface Item { key: string; at: string; kind: string; text: string }
const LowCsat = 2;

function fromEvent(e: ServerEvent): Item | null {
  const p = e.payload;
  const caller = String(p['caller'] ?? 'unknown caller');
  switch (e.type) {
    case 'alert.created':
      return { key: 'e' + e.sequence, at: e.occurredAt, kind: String(p['kind'] ?? 'alert'), text: describe(String(p['kind']), p) };
    case 'callback.requested':
      return { key: 'e' + e.sequence, at: e.occurredAt, kind: 'callback', text: `Callback requested by ${caller}` };
    case 'voicemail.left':
      return { key: 'e' + e.sequence, at: e.occurredAt, kind: 'voicemail', text: `Voicemail from ${caller}` };
    case 'survey.completed':
      return Number(p['score']) <= LowCsat ? { key: 'e' + e.sequence, at: e.occurredAt, kind: 'low-csat', text: `Low CSAT (${String(p['score'])}) from ${caller}` } : null;
    default:
      return null;
  }
}

function describe(kind: string, p: Record<string, unknown>): string {
  if (kind === 'missed_call') return `Missed call from ${String(p['caller'] ?? '?')} (${String(p['outcome'] ?? '')})`;
  if (kind === 'recording_failed') return `Recording failed for call ${String(p['callId'] ?? '?')}`;
  return kind;
}

export function Alerts(props: { since: string }) {
  const [items, setItems] = useState<Item[]>([]);
  useEffect(() => {
    api.alerts(props.since).then(list => setItems(prev => {
      const loaded = list.map(a => {
        let payload: Record<string, unknown> = {};
        try { payload = JSON.parse(a.payload ?? '{}') as Record<string, unknown>; } catch { /* keep empty */ }
        return { key: 'a' + a.id, at: a.createdAt, kind: a.kind, text: describe(a.kind, { ...payload, caller: a.caller }) };
      });
      return [...prev, ...loaded].sort((x, y) => y.at.localeCompare(x.at)).slice(0, 50);
    }), () => undefined);
    return events.subscribe(e => {
      const item = fromEvent(e);
      if (item) setItems(prev => [item, ...prev.filter(i => !(i.at === item.at && i.text === item.text))].slice(0, 50));
    });
  }, []);
  if (items.length === 0) return <p class="empty">No alerts today.</p>;
  return (
    <ul class="alerts" data-testid="alerts" aria-live="polite">
      {items.slice(0, 12).map(i => <li class={`alert alert-${i.kind}`}><time>{time(i.at)}</time> <strong>{i.kind.replace('_', ' ')}</strong> {i.text}</li>)}
    </ul>
  );
}
