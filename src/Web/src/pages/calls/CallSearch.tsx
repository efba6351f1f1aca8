// Calls and recordings: search by date range, number, agent, queue, outcome, disposition code (the queues' codes from
// /api/dispositions) and CSAT (a score or a range), paged. Agents see their own calls only (the server enforces it).
import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api/client';
import type { CallPage, Me } from '../../api/types';
import { ErrorText, Section } from '../../ui/components';
import { Csat } from './Csat';
import { dateTime, ms } from '../../ui/format';
import { linkClick } from '../../ui/router';

const outcomes = ['', 'Answered', 'Abandoned', 'AbandonedInIvr', 'AbandonedInQueue', 'Overflowed', 'NoAgent', 'AfterHours', 'Failed', 'Interrupted', 'CompletedInIvr'];
const PageSize = 25;
const csatChoices: [string, string][] = [['', 'any'], ['1-2', 'low (1-2)'], ['3', '3'], ['4-5', 'high (4-5)'], ['1', '1'], ['2', '2'], ['4', '4'], ['5', '5']];

function dayStart(offsetDays: number): string {
  const d = new Date(); d.setHours(0, 0, 0, 0); d.setDate(d.getDate() + offsetDays);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60000).toISOString().slice(0, 16);
}

export function CallSearch(props: { me: Me }) {
  const [form, setForm] = useState({ from: dayStart(-7), to: '', number: '', agent: props.me.role === 'agent' ? props.me.user : '', queue: '', outcome: '', disposition: '', csat: '' });
  const [codes, setCodes] = useState<string[]>([]);
  useEffect(() => {
    api.dispositionCodes().then(d => setCodes([...new Set(Object.values(d.queues).flatMap(q => q.codes))].sort()), () => setCodes([]));
  }, []);
  const [page, setPage] = useState(1);
  const [result, setResult] = useState<CallPage | null>(null);
  const [error, setError] = useState<unknown>(null);
  const search = async (p = page) => {
    setError(null);
    try {
      setResult(await api.searchCalls({
        from: form.from ? new Date(form.from).toISOString() : undefined, to: form.to ? new Date(form.to).toISOString() : undefined,
        number: form.number, agent: form.agent, queue: form.queue, outcome: form.outcome, disposition: form.disposition, csat: form.csat, page: p, pageSize: PageSize,
      }));
      setPage(p);
    } catch (e) { setError(e); }
  };
  useEffect(() => { void search(1); }, []);
  const field = (key: keyof typeof form) => ({
    id: 'f-' + key, value: form[key],
    onInput: (e: Event) => setForm({ ...form, [key]: (e.target as HTMLInputElement).value }),
  });
  const pages = result ? Math.max(1, Math.ceil(result.total / PageSize)) : 1;
  return (
    <main class="page calls" data-testid="call-search">
      <h1>Calls and recordings</h1>
      <Section title="Search">
        <form class="filters" onSubmit={e => { e.preventDefault(); void search(1); }}>
          <div><label for="f-from">From</label><input type="datetime-local" {...field('from')} /></div>
          <div><label for="f-to">To</label><input type="datetime-local" {...field('to')} /></div>
          <div><label for="f-number">Number</label><input {...field('number')} placeholder="+1555…" /></div>
          <div><label for="f-agent">Agent</label><input {...field('agent')} disabled={props.me.role === 'agent'} /></div>
          <div><label for="f-queue">Queue</label><input {...field('queue')} /></div>
          <div><label for="f-outcome">Outcome</label>
            <select id="f-outcome" value={form.outcome} onChange={e => setForm({ ...form, outcome: (e.target as HTMLSelectElement).value })}>
              {outcomes.map(o => <option value={o}>{o || 'any'}</option>)}
            </select></div>
          <div><label for="f-disposition">Disposition</label>
            <select id="f-disposition" value={form.disposition} onChange={e => setForm({ ...form, disposition: (e.target as HTMLSelectElement).value })}>
              <option value="">any</option>{codes.map(c => <option value={c}>{c}</option>)}
            </select></div>
          <div><label for="f-csat">CSAT</label>
            <select id="f-csat" value={form.csat} onChange={e => setForm({ ...form, csat: (e.target as HTMLSelectElement).value })}>
              {csatChoices.map(([v, l]) => <option value={v}>{l}</option>)}
            </select></div>
          <div class="filter-submit"><button type="submit" class="primary">Search</button></div>
        </form>
      </Section>
      <ErrorText error={error} />
      {result && (
        <Section title={`Results (${result.total})`}>
          <table class="table" data-testid="call-results">
            <thead><tr><th>Started</th><th>Caller</th><th>Dialed</th><th>Queue</th><th>Agent</th><th>Wait</th><th>Talk</th><th>Outcome</th><th>Disposition</th><th>CSAT</th></tr></thead>
            <tbody>{result.items.map(c => (
              <tr data-testid="call-row">
                <td><a href={`/calls/${encodeURIComponent(c.id)}`} onClick={linkClick}>{dateTime(c.startedAt)}</a></td>
                <td>{c.caller}</td><td>{c.dialed}</td><td>{c.queue ?? '–'}</td><td>{c.agent ?? '–'}</td>
                <td>{ms(c.waitMs)}</td><td>{ms(c.talkMs)}</td><td>{c.outcome ?? 'in progress'}</td><td data-testid="row-disposition">{c.dispositions?.length ? c.dispositions.join(', ') : (c.disposition ?? '–')}</td><td><Csat score={c.csat} /></td>
              </tr>))}
            </tbody>
          </table>
          <nav class="pager" aria-label="Pages">
            <button type="button" disabled={page <= 1} onClick={() => search(page - 1)}>Previous</button>
            <span>Page {page} of {pages}</span>
            <button type="button" disabled={page >= pages} onClick={() => search(page + 1)}>Next</button>
          </nav>
        </Section>
      )}
    </main>
  );
}
