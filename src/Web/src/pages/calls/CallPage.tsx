// One call: its CDR fields, the timeline of its events, and its recordings in the stereo player. 403 when an agent
// opens a call that is not theirs (the server decides).
import { useEffect, useState } from 'preact/hooks';
import { api, ApiError } from '../../api/client';
import type { CallRecord, Recording, TimelineEntry } from '../../api/types';
import { ErrorText, Section } from '../../ui/components';
import { dateTime, ms, time } from '../../ui/format';
import { linkClick } from '../../ui/router';
import { StereoPlayer } from './StereoPlayer';
import { Csat } from './Csat';

function describe(e: TimelineEntry): string {
  const d = e.data;
  const s = (k: string) => (d[k] === null || d[k] === undefined ? '' : String(d[k]));
  switch (e.type) {
    case 'call.started': return `Call from ${s('caller')} to ${s('dialed')}`;
    case 'call.answered': return 'Answered by the server';
    case 'ivr.progress': return `IVR: ${s('path')} → handed on`;
    case 'ivr.ended': return `IVR ended (${s('endReason')}): ${s('path')}`;
    case 'queue.entered': return `Entered queue ${s('queue')} (priority ${s('priority')})`;
    case 'queue.agent_rung': return `Agent ${s('agent')} rung`;
    case 'queue.agent_no_answer': return `Agent ${s('agent')} did not answer`;
    case 'queue.answered': return `Answered by ${s('agent')} after ${ms(Number(d['waitMs'] ?? 0))}`;
    case 'queue.abandoned': return `Caller hung up in queue ${s('queue')}`;
    case 'queue.overflowed': return `Overflowed from ${s('queue')}`;
    case 'queue.transferred': return `Transferred: ${s('detail')}`;
    case 'recording.started': return 'Recording started';
    case 'recording.completed': return 'Recording completed';
    case 'call.disposition': return `Disposition ${Array.isArray(d['codes']) ? (d['codes'] as string[]).join(', ') : ''} set by ${s('setBy')}`;
    case 'survey.completed': return `Survey: CSAT ${s('score')}`;
    case 'survey.skipped': return 'Survey skipped';
    case 'voicemail.left': return `Voicemail left in ${s('mailbox')}`;
    case 'call.ended': return `Ended: ${s('outcome')}, hung up by ${s('hangupSide')}`;
    default:
      if (e.type.startsWith('supervision.')) return `Supervision by ${s('supervisor')}: ${s('mode')}`;
      return e.type;
  }
}

export function CallPage(props: { id: string }) {
  const [call, setCall] = useState<CallRecord | null>(null);
  const [timeline, setTimeline] = useState<TimelineEntry[]>([]);
  const [recordings, setRecordings] = useState<Recording[]>([]);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    api.call(props.id).then(async c => {
      setCall(c);
      const [t, r] = await Promise.all([api.timeline(props.id), api.recordings(props.id)]);
      setTimeline(t);
      setRecordings(r);
    }).catch(setError);
  }, [props.id]);
  if (error instanceof ApiError && error.status === 403) {
    return <main class="page"><h1>Call {props.id}</h1><p class="error" role="alert" data-testid="forbidden">403 Forbidden: this call is not one of yours. Agents see the calls offered to or handled by them.</p>
      <a href="/calls" onClick={linkClick}>Back to your calls</a></main>;
  }
  const fields: [string, string][] = call ? [
    ['Caller', call.caller], ['Dialed', call.dialed], ['Started', dateTime(call.startedAt)], ['Answered', dateTime(call.answeredAt)],
    ['Ended', dateTime(call.endedAt)], ['IVR path', call.ivrPath ?? '–'], ['Variables', call.variables ? JSON.stringify(call.variables) : '–'],
    ['Queue', call.queue ?? '–'], ['Priority', String(call.priority ?? '–')], ['Wait', ms(call.waitMs)], ['Agent', call.agent ?? '–'],
    ['Talk', ms(call.talkMs)], ['Outcome', call.outcome ?? 'in progress'], ['Hang-up', `${call.hangupCause ?? '–'} (${call.hangupSide ?? '–'})`],
    ['Disposition', call.dispositions?.length ? call.dispositions.join(', ') : (call.disposition ?? 'none')],
    ['Disposition notes', call.dispositionNote ?? '–'],
  ] : [];
  return (
    <main class="page call" data-testid="call-page">
      <p><a href="/calls" onClick={linkClick}>← Calls</a></p>
      <h1>Call {props.id}</h1>
      <ErrorText error={error} />
      <div class="grid-2">
        <Section title="Call record"><dl class="facts" data-testid="cdr">{fields.map(([k, v]) => <><dt>{k}</dt><dd>{v}</dd></>)}
          {call && <><dt>CSAT</dt><dd data-testid="cdr-csat"><Csat score={call.csat} long /></dd></>}</dl></Section>
        <Section title="Timeline">
          <ol class="events" data-testid="timeline">{timeline.map(e => <li data-type={e.type}><time>{time(e.at)}</time> {describe(e)}</li>)}</ol>
        </Section>
      </div>
      <Section title="Recording">
        {recordings.length === 0 ? <p class="empty">No recording.</p> : recordings.map(r => <StereoPlayer recording={r} />)}
      </Section>
    </main>
  );
}
