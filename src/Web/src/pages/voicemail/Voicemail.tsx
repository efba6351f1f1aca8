// Voicemail (GET /api/voicemails): the messages of the mailboxes this user may use (supervisors and admins: all; an agent:
// its extension's and its queues'), newest first, filtered by mailbox and status. Each plays in place (the audio element
// fetches the WAV with Range requests; the first play marks a new message heard on the server) and can be marked handled
// (POST /api/voicemails/{id}/handled). Status is written out, colour only adds to it. Live: voicemail.* events reload
// (supervisors and admins; agents every 30 s).
import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api/client';
import type { Me, Voicemail as Message } from '../../api/types';
import { Empty, ErrorText, Section, useLive } from '../../ui/components';
import { dateTime, ms } from '../../ui/format';
import { linkClick } from '../../ui/router';

const statuses = ['', 'new', 'heard', 'handled'] as const;
const statusWords: Record<string, string> = { new: 'New', heard: 'Heard', handled: 'Handled', discarded: 'Discarded' };
const PageSize = 50;
const AgentRefreshMs = 30000;

function Row(props: { m: Message; onChanged: () => void }) {
  const m = props.m;
  const [error, setError] = useState<unknown>(null);
  const handled = async () => {
    setError(null);
    try { await api.voicemailHandled(m.id); props.onChanged(); } catch (e) { setError(e); }
  };
  return (
    <tr data-testid="voicemail-row" data-id={m.id} data-status={m.status}>
      <td>{dateTime(m.createdAt)}</td>
      <td>{m.mailbox}</td>
      <td>{m.caller ?? 'unknown'}</td>
      <td>{ms(m.durationMs)}</td>
      <td><span class={`badge vm-${m.status}`} data-testid="voicemail-status">{statusWords[m.status] ?? m.status}</span>
        {m.heardBy && <span class="muted"> by {m.heardBy}</span>}
        {m.handledBy && <span class="muted"> · handled by {m.handledBy}{m.replyMs !== null ? ` after ${ms(m.replyMs)}` : ''}</span>}</td>
      <td class="vm">
        {/* The element's own first request is a Range request from byte 0: the server marks a new message heard. */}
        <audio controls preload="none" src={m.audio} aria-label={`Message from ${m.caller ?? 'unknown'} at ${dateTime(m.createdAt)}`}
          data-testid="voicemail-audio" onPlay={() => window.setTimeout(props.onChanged, 500)} />
      </td>
      <td class="actions">
        <a href={m.audio} download>Download</a>
        {m.callId && <a href={`/calls/${encodeURIComponent(m.callId)}`} onClick={linkClick}>Call</a>}
        <button type="button" onClick={handled} disabled={m.status === 'handled' || m.status === 'discarded'}
          aria-label={`Mark the message from ${m.caller ?? 'unknown'} handled`}>Mark handled</button>
        <ErrorText error={error} />
      </td>
    </tr>
  );
}

export function Voicemail(props: { me: Me }) {
  const [filter, setFilter] = useState({ mailbox: '', status: '' });
  const [applied, setApplied] = useState(filter);
  const [page, setPage] = useState(1);
  const list = useLive(() => api.voicemails({ ...applied, page, pageSize: PageSize }), t => t.startsWith('voicemail.'), 200);
  // An agent's event stream carries only its own calls' events: new messages in its queues' mailboxes come by a reload.
  useEffect(() => {
    if (props.me.role !== 'agent') return undefined;
    const id = window.setInterval(list.reload, AgentRefreshMs);
    return () => window.clearInterval(id);
  }, []);
  const items = list.data?.items ?? [];
  const apply = (e: Event) => { e.preventDefault(); setPage(1); setApplied(filter); window.setTimeout(list.reload, 0); };
  const unheard = items.filter(m => m.status === 'new').length;
  return (
    <main class="page voicemail" data-testid="voicemail">
      <h1>Voicemail</h1>
      <p class="muted">{props.me.role === 'agent' ? 'Your extension\'s mailbox and your queues\'.' : 'Every mailbox (queues and extensions).'}
        {' '}Playing a new message marks it heard.</p>
      <Section title="Filter">
        <form class="filters" onSubmit={apply}>
          <div><label for="vm-mailbox">Mailbox</label>
            <input id="vm-mailbox" value={filter.mailbox} placeholder="support or 1001" onInput={e => setFilter({ ...filter, mailbox: (e.target as HTMLInputElement).value })} /></div>
          <div><label for="vm-status">Status</label>
            <select id="vm-status" value={filter.status} onChange={e => setFilter({ ...filter, status: (e.target as HTMLSelectElement).value })}>
              {statuses.map(s => <option value={s}>{s ? statusWords[s] : 'new, heard and handled'}</option>)}
            </select></div>
          <div class="filter-submit"><button type="submit" class="primary">Show</button></div>
        </form>
      </Section>
      <ErrorText error={list.error} />
      <Section title={`Messages (${items.length}${unheard ? `, ${unheard} new` : ''})`}>
        {items.length === 0 ? <Empty>No messages.</Empty> : (
          <table class="table" data-testid="voicemails">
            <thead><tr><th>Left</th><th>Mailbox</th><th>Caller</th><th>Length</th><th>Status</th><th>Listen</th><th>Actions</th></tr></thead>
            <tbody>{items.map(m => <Row m={m} key={m.id} onChanged={list.reload} />)}</tbody>
          </table>
        )}
        <nav class="pager" aria-label="Voicemail pages">
          <button type="button" disabled={page <= 1} onClick={() => { setPage(page - 1); window.setTimeout(list.reload, 0); }}>Newer</button>
          <span>Page {page}</span>
          <button type="button" disabled={items.length < PageSize} onClick={() => { setPage(page + 1); window.setTimeout(list.reload, 0); }}>Older</button>
        </nav>
      </Section>
    </main>
  );
}
