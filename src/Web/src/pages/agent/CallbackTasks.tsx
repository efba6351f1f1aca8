// Callback tasks of the agent (GET /api/agents/{ext}/callbacks): callbacks waiting in its queues (one of their agents will
// call the customer back: this agent's phone rings first with the callback's details), and those it made, is making or
// asked for. Reloaded on the agent's own events and every 30 s (queue-wide callbacks are not on an agent's stream).
import { useEffect } from 'preact/hooks';
import { api } from '../../api/client';
import type { CallbackTask } from '../../api/types';
import { Empty, ErrorText, useLive } from '../../ui/components';
import { dateTime, time } from '../../ui/format';

const RefreshMs = 30000;
const stateWords: Record<string, string> = {
  waiting: 'Waiting', calling: 'Calling now', completed: 'Completed', failed: 'Failed', expired: 'Expired', cancelled: 'Cancelled',
};

function due(c: CallbackTask): string {
  if (c.state === 'calling') return 'now';
  const at = c.nextAttemptAt ?? c.notBefore;
  return at ? (new Date(at).toDateString() === new Date().toDateString() ? `today ${time(at)}` : dateTime(at)) : c.status === 'Pending' ? `position ${c.position || '–'}` : '–';
}

export function CallbackTasks(props: { ext: string }) {
  const tasks = useLive(() => api.callbackTasks(props.ext), t => t.startsWith('callback.') || t === 'call.ended' || t === 'queue.answered', 300);
  useEffect(() => {
    const id = window.setInterval(tasks.reload, RefreshMs);
    return () => window.clearInterval(id);
  }, []);
  const items = tasks.data?.items ?? [];
  const open = items.filter(c => c.status === 'Pending');
  return (
    <div data-testid="callback-tasks">
      <ErrorText error={tasks.error} />
      <p class="muted">{open.length} open · queues {tasks.data?.queues.join(', ') || '–'}</p>
      {items.length === 0 ? <Empty>No callback tasks.</Empty> : (
        <table class="table compact">
          <thead><tr><th>Customer</th><th>Queue</th><th>State</th><th>Due</th><th>Attempts</th><th>Note</th></tr></thead>
          <tbody>{items.map(c => (
            <tr data-testid="callback-task" data-state={c.state}>
              <td>{c.number}{c.name ? ` (${c.name})` : ''}</td><td>{c.queue}</td>
              <td><span class={`badge cb-${c.state}`}>{stateWords[c.state] ?? c.state}</span>{c.agent ? ` · ${c.agent}` : ''}</td>
              <td>{due(c)}</td><td>{c.attempts}</td><td>{c.note ?? c.detail ?? ''}</td>
            </tr>))}
          </tbody>
        </table>
      )}
    </div>
  );
}
