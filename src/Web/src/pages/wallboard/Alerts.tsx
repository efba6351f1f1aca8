// Alerts as they happen, from the alerts the server raises (alert.created on the event stream; today's from /api/alerts
// first): missed calls, callbacks requested (and failed or completed), voicemails left, low CSAT scores, failed
// recordings. Each has its kind written out (colour is only a second cue), the caller, and a link to the call or the
// voicemail; the newest on top, counted per kind.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api/client';
import { events } from '../../api/events';
import type { Alert, ServerEvent } from '../../api/types';
import { duration, time } from '../../ui/format';
import { linkClick } from '../../ui/router';

interface Item { key: string; at: string; kind: string; text: string; callId: string | null; fresh: boolean }

/** The words for each alert kind (src/Recording/Storage/AlertKinds.cs). */
export const alertLabels: Record<string, string> = {
  missed_call: 'Missed call', callback_requested: 'Callback requested', callback_completed: 'Callback done',
  callback_failed: 'Callback failed', voicemail: 'Voicemail', low_csat: 'Low CSAT', recording_failed: 'Recording failed',
};
const MaxShown = 12;

function text(kind: string, p: Record<string, unknown>, caller: string | null): string {
  const s = (k: string) => (p[k] === null || p[k] === undefined ? '' : String(p[k]));
  const who = caller ?? (s('caller') || s('number') || 'unknown caller');
  switch (kind) {
    case 'missed_call': return `from ${who}${s('queue') ? ` in ${s('queue')}` : ''} (${s('outcome')})`;
    case 'callback_requested': return `by ${s('number') || who}${s('name') ? ` (${s('name')})` : ''} for ${s('queue')}`;
    case 'callback_completed': return `${s('number') || who} reached${s('agent') ? ` by ${s('agent')}` : ''}`;
    case 'callback_failed': return `${s('number') || who}: ${s('detail') || s('status')}`;
    case 'voicemail': return `from ${who} in mailbox ${s('mailbox')}${p['durationMs'] ? ` (${duration(Number(p['durationMs']) / 1000)})` : ''}`;
    case 'low_csat': return `score ${s('score')} from ${who}${s('agent') ? ` (agent ${s('agent')})` : ''}`;
    case 'recording_failed': return `call ${s('callId')}: ${s('error')}`;
    default: return who;
  }
}

function parse(json: string | undefined): Record<string, unknown> {
  try { return JSON.parse(json ?? '{}') as Record<string, unknown>; } catch { return {}; }
}

function fromAlert(a: Alert): Item {
  return { key: 'a' + a.id, at: a.createdAt, kind: a.kind, text: text(a.kind, parse(a.payload), a.caller), callId: a.callId, fresh: false };
}

function fromEvent(e: ServerEvent): Item | null {
  if (e.type !== 'alert.created') return null;
  const kind = String(e.payload['kind'] ?? 'alert');
  return { key: 'e' + e.sequence, at: e.occurredAt, kind, text: text(kind, e.payload, null), callId: e.callId, fresh: true };
}

/** The same alert from the list and from the stream counts once. */
const same = (a: Item, b: Item) => a.kind === b.kind && a.callId === b.callId && Math.abs(Date.parse(a.at) - Date.parse(b.at)) < 1000;

export function Alerts(props: { since: string }) {
  const [items, setItems] = useState<Item[]>([]);
  useEffect(() => {
    api.alerts(props.since).then(list => setItems(prev => {
      const loaded = list.map(fromAlert).filter(a => !prev.some(p => same(p, a)));
      return [...prev, ...loaded].sort((x, y) => y.at.localeCompare(x.at)).slice(0, 200);
    }), () => undefined);
    return events.subscribe(e => {
      const item = fromEvent(e);
      if (item) setItems(prev => [item, ...prev.filter(i => !same(i, item))].slice(0, 200));
    });
  }, []);
  if (items.length === 0) return <p class="empty" data-testid="no-alerts">No alerts today.</p>;
  const counts = new Map<string, number>();
  for (const i of items) counts.set(i.kind, (counts.get(i.kind) ?? 0) + 1);
  return (
    <>
      <p class="alert-counts" data-testid="alert-counts">{[...counts.entries()].map(([k, n]) =>
        <span class={`chip alert-${k}`} data-kind={k}>{alertLabels[k] ?? k}: {n}</span>)}</p>
      <ul class="alerts" data-testid="alerts" aria-live="polite" aria-label="Alerts, newest first">
        {items.slice(0, MaxShown).map(i => (
          <li class={`alert alert-${i.kind}${i.fresh ? ' alert-new' : ''}`} data-kind={i.kind} key={i.key}>
            <time>{time(i.at)}</time> <strong>{alertLabels[i.kind] ?? i.kind}</strong> {i.text}
            {i.kind === 'voicemail' ? <> · <a href="/voicemail" onClick={linkClick}>listen</a></>
              : i.callId ? <> · <a href={`/calls/${encodeURIComponent(i.callId)}`} onClick={linkClick}>call</a></> : null}
          </li>))}
      </ul>
    </>
  );
}
