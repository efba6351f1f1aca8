// The screen pop (GET /api/agents/{ext}/screen-pop): who is calling and what the IVR learned (number, IVR path,
// variables, priority, tags, wait), and the caller's last 5 calls with outcome and disposition (/history).
import { useEffect, useState } from 'preact/hooks';
import { api } from '../../api/client';
import type { History, ScreenPop as Pop } from '../../api/types';
import { Ticking } from '../../ui/components';
import { dateTime, ms } from '../../ui/format';

function variablesOf(vars: Record<string, unknown> | null): [string, string][] {
  return vars && typeof vars === 'object' ? Object.entries(vars).map(([k, v]) => [k, String(v)]) : [];
}

export function ScreenPop(props: { pop: Pop; loadedAt: number; ext: string }) {
  const i = props.pop.interaction;
  const [history, setHistory] = useState<History | null>(null);
  useEffect(() => {
    setHistory(null);
    if (i) api.history(props.ext).then(setHistory, () => setHistory(null));
  }, [i?.id]);
  if (!i) return <p class="empty" data-testid="no-call">No caller at the moment.</p>;
  const vars = variablesOf(i.variables);
  return (
    <div class={`screen-pop ${i.ringing ? 'ringing' : 'connected'}`} data-testid="screen-pop" role="region" aria-label="Screen pop">
      <p class="pop-state" role="status">{i.ringing ? 'Ringing: incoming call' : 'Connected'} from queue <strong>{i.queue}</strong></p>
      <dl class="facts">
        <dt>Caller</dt><dd data-testid="pop-caller">{i.caller ?? '–'}</dd>
        <dt>Dialed</dt><dd data-testid="pop-dialed">{i.dialed ?? '–'}</dd>
        <dt>Priority</dt><dd data-testid="pop-priority">{i.priority}</dd>
        <dt>Tags</dt><dd data-testid="pop-tags">{i.tags.length ? i.tags.map(t => <span class="tag">{t}</span>) : '–'}</dd>
        <dt>Waited</dt><dd>{i.ringing ? <Ticking seconds={i.waitedSeconds} since={props.loadedAt} /> : <span>{Math.round(i.waitedSeconds)} s</span>}</dd>
        <dt>IVR path</dt><dd class="path" data-testid="pop-ivr-path">{i.ivrPath ?? '–'}</dd>
      </dl>
      <h3>Collected in the IVR</h3>
      {vars.length === 0 ? <p class="empty">Nothing collected.</p> : (
        <dl class="facts" data-testid="pop-variables">{vars.map(([k, v]) => <><dt>{k}</dt><dd>{v}</dd></>)}</dl>
      )}
      <h3>Previous calls from this number</h3>
      {!history ? <p class="muted">Loading…</p> : history.calls.length === 0 ? <p class="empty">First call from this number.</p> : (
        <table class="table compact" data-testid="pop-history">
          <thead><tr><th>When</th><th>Queue</th><th>Agent</th><th>Outcome</th><th>Talk</th><th>Disposition</th></tr></thead>
          <tbody>{history.calls.map(c => <tr><td>{dateTime(c.startedAt)}</td><td>{c.queue ?? '–'}</td><td>{c.agent ?? '–'}</td><td>{c.outcome ?? 'in progress'}</td><td>{ms(c.talkMs)}</td><td>{c.disposition ?? '–'}</td></tr>)}</tbody>
        </table>
      )}
    </div>
  );
}
