// Admin: overview, IVR and queues editors, users and roles, the audit log and the HTTP API reference.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api/client';
import type { AuditRow, UserRow } from '../../api/types';
import { ErrorText, Section, Tile, useLive } from '../../ui/components';
import { dateTime } from '../../ui/format';
import { linkClick } from '../../ui/router';
import { ConfigEditor } from './ConfigEditor';

const tabs = [
  { path: '/admin', label: 'Overview' }, { path: '/admin/ivr', label: 'IVR' }, { path: '/admin/queues', label: 'Queues' },
  { path: '/admin/users', label: 'Users' }, { path: '/admin/audit', label: 'Audit log' },
];

function Overview() {
  const queues = useLive(() => api.queues(), t => t.startsWith('queue.') || t.startsWith('agent.'), 300);
  const calls = useLive(() => api.liveCalls(), t => t.startsWith('call.'), 300);
  const [users, setUsers] = useState<UserRow[] | null>(null);
  useEffect(() => { api.users().then(setUsers, () => setUsers(null)); }, []);
  return (
    <>
      <div class="tiles">
        <Tile label="Calls in progress" value={calls.data?.length ?? '–'} />
        <Tile label="Queues" value={queues.data?.queues.length ?? '–'} />
        <Tile label="Agents logged in" value={queues.data ? queues.data.agents.filter(a => a.state !== 'LoggedOut').length : '–'} />
        <Tile label="Console users" value={users?.length ?? '–'} />
      </div>
      <Section title="Administration">
        <ul class="links">
          <li><a href="/admin/ivr" onClick={linkClick}>IVR editor</a>: config/ivr.yaml with validation, simulation, graph, versions and rollback.</li>
          <li><a href="/admin/queues" onClick={linkClick}>Queues editor</a>: config/queues.yaml, validated and versioned the same way.</li>
          <li><a href="/admin/users" onClick={linkClick}>Users and roles</a> (read-only: edit config/extensions.yaml).</li>
          <li><a href="/admin/audit" onClick={linkClick}>Audit log</a>: logins, plays and downloads, supervision, configuration saves.</li>
          <li><a href="/api-reference">HTTP API reference</a> (OpenAPI, interactive) · <a href="/openapi/v1.json">openapi/v1.json</a></li>
          <li><a href="/wallboard" onClick={linkClick}>Wallboard</a>, <a href="/supervisor" onClick={linkClick}>supervisor controls</a> and <a href="/calls" onClick={linkClick}>calls</a> are open to admins too.</li>
        </ul>
      </Section>
    </>
  );
}

function Users() {
  const [users, setUsers] = useState<UserRow[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => { api.users().then(setUsers, setError); }, []);
  return (
    <Section title="Users and roles">
      <ErrorText error={error} />
      <table class="table" data-testid="users">
        <thead><tr><th>User</th><th>Name</th><th>Role</th><th>Console</th></tr></thead>
        <tbody>{(users ?? []).map(u => <tr><td>{u.user}</td><td>{u.name ?? '–'}</td><td>{u.role ?? '–'}</td><td>{u.consoleAccess ? 'yes' : 'no'}</td></tr>)}</tbody>
      </table>
      <p class="hint">Accounts come from config/extensions.yaml (extensions and accounts:). Passwords are never shown.</p>
    </Section>
  );
}

function Audit() {
  const [filter, setFilter] = useState({ actor: '', action: '', outcome: '' });
  const [page, setPage] = useState(1);
  const [rows, setRows] = useState<AuditRow[]>([]);
  const [error, setError] = useState<unknown>(null);
  const load = async (p: number) => {
    setError(null);
    try { setRows((await api.audit({ ...filter, page: p, pageSize: 50 })).items); setPage(p); } catch (e) { setError(e); }
  };
  useEffect(() => { void load(1); }, []);
  const field = (k: keyof typeof filter, label: string) => (
    <div><label for={`audit-${k}`}>{label}</label><input id={`audit-${k}`} value={filter[k]} onInput={e => setFilter({ ...filter, [k]: (e.target as HTMLInputElement).value })} /></div>
  );
  return (
    <Section title="Audit log">
      <form class="filters" onSubmit={e => { e.preventDefault(); void load(1); }}>
        {field('actor', 'Actor')}{field('action', 'Action (auth. = category)')}{field('outcome', 'Outcome')}
        <div class="filter-submit"><button type="submit">Filter</button></div>
      </form>
      <ErrorText error={error} />
      <table class="table compact" data-testid="audit">
        <thead><tr><th>When</th><th>Actor</th><th>Role</th><th>Source</th><th>Action</th><th>Target</th><th>Outcome</th><th>Detail</th></tr></thead>
        <tbody>{rows.map(r => <tr data-action={r.action}><td>{dateTime(r.at)}</td><td>{r.actor}</td><td>{r.role ?? ''}</td><td>{r.source ?? ''}</td><td>{r.action}</td><td>{r.target ?? ''}</td><td>{r.outcome}</td><td class="detail">{r.detail ?? ''}</td></tr>)}</tbody>
      </table>
      <nav class="pager" aria-label="Audit pages">
        <button type="button" disabled={page <= 1} onClick={() => load(page - 1)}>Newer</button><span>Page {page}</span>
        <button type="button" disabled={rows.length < 50} onClick={() => load(page + 1)}>Older</button>
      </nav>
    </Section>
  );
}

export function Admin(props: { path: string }) {
  const path = props.path;
  return (
    <main class="page admin" data-testid="admin">
      <h1>Admin</h1>
      <nav class="tabs" aria-label="Admin sections">
        {tabs.map(t => <a href={t.path} onClick={linkClick} aria-current={path === t.path ? 'page' : undefined}>{t.label}</a>)}
      </nav>
      {path === '/admin' && <Overview />}
      {path === '/admin/ivr' && <ConfigEditor kind="ivr" />}
      {path === '/admin/queues' && <ConfigEditor kind="queues" />}
      {path === '/admin/users' && <Users />}
      {path === '/admin/audit' && <Audit />}
    </main>
  );
}
