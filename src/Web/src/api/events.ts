// The live event stream (GET /api/events, Server-Sent Events). One EventSource per page; it resumes after a network
// drop or a server restart without missing anything: the browser's own reconnect sends Last-Event-ID, and when the
// EventSource gives up (the server answered with an error, e.g. while restarting) a new one is opened with
// ?after=<last id seen>. The connection state is published so pages can show "reconnecting".
import type { ServerEvent } from './types';

export type StreamState = 'connecting' | 'live' | 'reconnecting' | 'stopped';
type Handler = (e: ServerEvent) => void;

const ReopenDelayMs = 1000;

export class EventStream {
  private source: EventSource | null = null;
  private lastId = 0;
  private handlers = new Set<Handler>();
  private stateListeners = new Set<(s: StreamState) => void>();
  private timer: number | undefined;
  private stopped = false;
  state: StreamState = 'connecting';

  /** Opens the stream; with no id seen yet, live events only (the page loads the current state by REST first). */
  start(): void {
    this.stopped = false;
    this.open();
  }

  stop(): void {
    this.stopped = true;
    window.clearTimeout(this.timer);
    this.source?.close();
    this.source = null;
    this.setState('stopped');
  }

  /** Re-opens now (after signing in again), resuming after the last event seen. The state passes through
   * 'reconnecting' even when the old stream had not been cut yet, so pages reload (on 'live') what they failed to load
   * while the session was expired. */
  resume(): void {
    if (this.stopped) return;
    window.clearTimeout(this.timer);
    this.source?.close();
    this.setState('reconnecting');
    this.open();
  }

  subscribe(handler: Handler): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  onState(listener: (s: StreamState) => void): () => void {
    this.stateListeners.add(listener);
    listener(this.state);
    return () => this.stateListeners.delete(listener);
  }

  get lastEventId(): number { return this.lastId; }

  private open(): void {
    const url = this.lastId > 0 ? `/api/events?after=${this.lastId}` : '/api/events';
    const source = new EventSource(url, { withCredentials: true });
    this.source = source;
    source.onopen = () => this.setState('live');
    source.onerror = () => {
      if (this.source !== source) return;
      this.setState('reconnecting');
      if (source.readyState === EventSource.CLOSED) {
        // The browser stopped retrying (an HTTP error): open a new stream from the last id ourselves.
        this.timer = window.setTimeout(() => { if (!this.stopped) this.open(); }, ReopenDelayMs);
      }
    };
    source.onmessage = e => this.dispatch(e);
    // Named events (event: <type>) do not reach onmessage: listen to each known type.
    for (const type of EventTypes) source.addEventListener(type, e => this.dispatch(e as MessageEvent));
  }

  private dispatch(message: MessageEvent): void {
    const id = Number(message.lastEventId);
    if (Number.isFinite(id) && id > 0) {
      if (id <= this.lastId) return; // replayed twice across a reconnect
      this.lastId = id;
    }
    let event: ServerEvent;
    try { event = JSON.parse(String(message.data)) as ServerEvent; } catch { return; }
    this.handlers.forEach(h => h(event));
  }

  private setState(s: StreamState): void {
    if (this.state === s) return;
    this.state = s;
    this.stateListeners.forEach(l => l(s));
  }
}

/** Every event type the server writes (src/Recording/Storage/EventTypes.cs, supervision.*, agent.state, alerts). */
export const EventTypes = [
  'call.started', 'call.answered', 'call.ended', 'call.interrupted',
  'queue.event', 'queue.entered', 'queue.agent_rung', 'queue.agent_no_answer', 'queue.answered', 'queue.abandoned',
  'queue.overflowed', 'queue.transferred', 'ivr.progress', 'ivr.ended', 'agent.state',
  'recording.started', 'recording.completed', 'recording.interrupted', 'recording.deleted', 'recording.failed',
  'alert.created', 'alert.delivered',
  'supervision.started', 'supervision.mode', 'supervision.ended',
  'callback.requested', 'callback.attempt', 'callback.completed', 'callback.failed', 'callback.cancelled', 'queue.callback_requested',
  'voicemail.left', 'voicemail.heard', 'voicemail.handled', 'survey.completed', 'survey.skipped', 'call.disposition',
] as const;

export const events = new EventStream();
