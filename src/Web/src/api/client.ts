// The typed API client, written once: every page talks to the server through these functions. Cookie sessions only
// (credentials: same-origin, no token kept in the page); a 401 on any call raises the "session expired" signal so the
// sign-in form comes back over the page without losing what was typed.
import type * as T from './types';

export class ApiError extends Error {
  constructor(readonly status: number, readonly body: Record<string, unknown> | null, message: string) { super(message); }
}

type Listener = () => void;
const expiredListeners = new Set<Listener>();
/** Called when the server answers 401 to a request made with a session. */
export function onSessionExpired(listener: Listener): () => void {
  expiredListeners.add(listener);
  return () => expiredListeners.delete(listener);
}

async function request<R>(method: string, url: string, body?: unknown, headers?: Record<string, string>): Promise<R> {
  const init: RequestInit = { method, credentials: 'same-origin', headers: { Accept: 'application/json', ...headers } };
  if (body !== undefined) {
    init.body = JSON.stringify(body);
    (init.headers as Record<string, string>)['Content-Type'] = 'application/json';
  }
  const response = await fetch(url, init);
  const text = await response.text();
  let json: unknown = null;
  try { json = text ? JSON.parse(text) : null; } catch { json = null; }
  if (!response.ok) {
    const obj = (json && typeof json === 'object' ? json : null) as Record<string, unknown> | null;
    if (response.status === 401 && url !== '/api/auth/login') expiredListeners.forEach(l => l());
    const reason = obj?.['reason'] ?? obj?.['error'] ?? text ?? response.statusText;
    throw new ApiError(response.status, obj, `${response.status}: ${String(reason)}`);
  }
  return json as R;
}

const q = (params: Record<string, string | number | undefined | null>) => {
  const s = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') s.set(k, String(v));
  const text = s.toString();
  return text ? '?' + text : '';
};
const enc = encodeURIComponent;

export const api = {
  login: (user: string, password: string) => request<T.LoginAnswer>('POST', '/api/auth/login', { user, password }),
  logout: () => request<unknown>('POST', '/api/auth/logout'),
  me: () => request<T.Me>('GET', '/api/auth/me'),

  queues: () => request<T.QueuesSnapshot>('GET', '/api/queues'),
  liveCalls: () => request<T.LiveCall[]>('GET', '/api/console/live-calls'),
  alerts: (from: string) => request<T.Alert[]>('GET', '/api/alerts' + q({ from })),

  agent: (ext: string) => request<T.AgentDesk>('GET', `/api/agents/${enc(ext)}`),
  agentAction: (ext: string, action: 'login' | 'logout' | 'pause' | 'resume', reason?: string) =>
    request<{ state: string | null; pauseReason: string | null }>('POST', `/api/agents/${enc(ext)}/${action}` + q({ reason })),
  screenPop: (ext: string) => request<T.ScreenPop>('GET', `/api/agents/${enc(ext)}/screen-pop`),
  history: (ext: string) => request<T.History>('GET', `/api/agents/${enc(ext)}/history`),
  phoneCredentials: () => request<{ user: string; displayName: string; realm: string; ha1: string; path: string }>('GET', '/api/phone/credentials'),
  callbackTasks: (ext: string) => request<T.CallbackTasks>('GET', `/api/agents/${enc(ext)}/callbacks`),
  dispositionCodes: () => request<T.DispositionCodes>('GET', '/api/dispositions'),
  setDisposition: (callId: string, codes: string[], note: string) =>
    request<T.DispositionEntry>('POST', `/api/calls/${enc(callId)}/disposition`, { codes, note }),
  dispositions: (callId: string) => request<T.DispositionEntry[]>('GET', `/api/calls/${enc(callId)}/dispositions`),
  voicemails: (f: Record<string, string | number | undefined>) => request<T.VoicemailPage>('GET', '/api/voicemails' + q(f)),
  voicemailHandled: (id: number) => request<T.Voicemail>('POST', `/api/voicemails/${id}/handled`, {}),
  transfer: (ext: string, target: string) => request<T.TransferAnswer>('POST', `/api/agents/${enc(ext)}/transfer`, { target }),

  // Statistics (docs/metrics.md §8); times default to today in the business time zone.
  statsRealtime: () => request<T.Realtime>('GET', '/api/stats/realtime'),
  statsQueues: (interval: '15m' | '30m' | '60m' | 'day') => request<T.StatsReport<T.QueueStatsRow>>('GET', '/api/stats/queues' + q({ interval })),
  statsAgents: (interval: '15m' | '30m' | '60m' | 'day', agent?: string) =>
    request<T.StatsReport<T.AgentStatsRow>>('GET', '/api/stats/agents' + q({ interval, agent })),

  supervise: (agent: string, mode: string) => request<{ id: string; callId: string; mode: string }>('POST', '/api/supervise', { agent, mode }),
  superviseMode: (id: string, mode: string) => request<unknown>('POST', `/api/supervise/${enc(id)}/mode`, { mode }),

  searchCalls: (f: Record<string, string | number | undefined>) => request<T.CallPage>('GET', '/api/console/calls' + q(f)),
  call: (id: string) => request<T.CallRecord>('GET', `/api/calls/${enc(id)}`),
  timeline: (id: string) => request<T.TimelineEntry[]>('GET', `/api/calls/${enc(id)}/timeline`),
  recordings: (id: string) => request<T.Recording[]>('GET', `/api/calls/${enc(id)}/recordings`),

  configFile: (kind: ConfigKind) => request<T.ConfigFileAnswer>('GET', `/api/admin/${kind}`),
  validate: (kind: ConfigKind, content: string) => request<T.ValidateAnswer>('POST', `/api/admin/${kind}/validate`, { content }),
  save: (kind: ConfigKind, content: string, comment: string) => request<T.SaveAnswer>('POST', `/api/admin/${kind}`, { content, comment }),
  versions: (kind: ConfigKind) => request<T.ConfigVersion[]>('GET', `/api/admin/${kind}/versions`),
  version: (kind: ConfigKind, v: number) => request<T.ConfigVersion>('GET', `/api/admin/${kind}/versions/${v}`),
  rollback: (kind: ConfigKind, v: number) => request<T.SaveAnswer>('POST', `/api/admin/${kind}/versions/${v}/rollback`),
  simulate: (body: { content: string; number: string; caller: string; digits: string; at: string }) =>
    request<T.SimulateAnswer>('POST', '/api/admin/ivr/simulate', body),
  graph: (content: string) => request<T.GraphAnswer>('POST', '/api/admin/ivr/graph', { content }),
  ivrSchema: () => request<Record<string, unknown>>('GET', '/api/admin/ivr/schema'),
  users: () => request<T.UserRow[]>('GET', '/api/admin/users'),
  audit: (f: Record<string, string | number | undefined>) => request<{ page: number; pageSize: number; items: T.AuditRow[] }>('GET', '/api/audit' + q(f)),
};

export type ConfigKind = 'ivr' | 'queues';
