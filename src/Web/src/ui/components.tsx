// Shared UI parts: tiles with thresholds, state badges (colour plus text), ticking timers, the stream banner, messages.
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { events, type StreamState } from '../api/events';
import { duration, stateLabels } from './format';

export type Level = 'ok' | 'warn' | 'alert' | 'none';
const levelWords: Record<Level, string> = { ok: 'OK', warn: 'Warning', alert: 'Alert', none: '' };

/** A figure with a label; amber/red by threshold, with the level also written out for those who cannot see colour. */
export function Tile(props: { label: string; value: ComponentChildren; level?: Level; hint?: string; testId?: string }) {
  const level = props.level ?? 'none';
  return (
    <section class={`tile tile-${level}`} aria-label={props.label} data-testid={props.testId} data-level={level}>
      <h3>{props.label}</h3>
      <div class="tile-value">{props.value}</div>
      {level !== 'none' && level !== 'ok' && <div class="tile-level">{levelWords[level]}</div>}
      {props.hint && <div class="tile-hint">{props.hint}</div>}
    </section>
  );
}

export function StateBadge(props: { state: string; reason?: string | null }) {
  const label = stateLabels[props.state] ?? props.state;
  return <span class={`badge state-${props.state}`} data-state={props.state}>{label}{props.reason ? `: ${props.reason}` : ''}</span>;
}

/** Re-renders every second; returns the current time in ms. */
export function useNow(periodMs = 1000): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const id = window.setInterval(() => setNow(Date.now()), periodMs);
    return () => window.clearInterval(id);
  }, [periodMs]);
  return now;
}

/** A duration that ticks: <paramref name="seconds"/> as of <paramref name="since"/> (ms), plus the time since. */
export function Ticking(props: { seconds: number; since: number; class?: string }) {
  const now = useNow();
  return <span class={props.class ?? 'ticking'}>{duration(props.seconds + (now - props.since) / 1000)}</span>;
}

export function useStreamState(): StreamState {
  const [state, setState] = useState<StreamState>(events.state);
  useEffect(() => events.onState(setState), []);
  return state;
}

/** "Live" or "Reconnecting…", always visible in the header; a banner while disconnected. */
export function StreamStatus() {
  const state = useStreamState();
  const live = state === 'live';
  return (
    <span class={`stream stream-${state}`} role="status" aria-live="polite" data-testid="stream-state" data-state={state}>
      <span class="dot" aria-hidden="true" />{live ? 'Live' : state === 'connecting' ? 'Connecting…' : state === 'stopped' ? 'Stopped' : 'Reconnecting…'}
    </span>
  );
}

export function StreamBanner() {
  const state = useStreamState();
  if (state !== 'reconnecting') return null;
  return <div class="banner banner-warn" role="alert" data-testid="reconnecting">Connection to the server lost: reconnecting… Figures shown may be out of date.</div>;
}

export function ErrorText(props: { error: unknown }) {
  if (!props.error) return null;
  const text = props.error instanceof Error ? props.error.message : String(props.error);
  return <p class="error" role="alert">{text}</p>;
}

export function Empty(props: { children: ComponentChildren }) {
  return <p class="empty">{props.children}</p>;
}

export function Section(props: { title: string; children: ComponentChildren; actions?: ComponentChildren; class?: string; id?: string }) {
  const id = props.id ?? 'h-' + props.title.toLowerCase().replace(/[^a-z0-9]+/g, '-');
  return (
    <section class={`panel ${props.class ?? ''}`} aria-labelledby={id}>
      <header class="panel-head"><h2 id={id}>{props.title}</h2>{props.actions && <div class="panel-actions">{props.actions}</div>}</header>
      {props.children}
    </section>
  );
}

/** Runs <paramref name="load"/> now and whenever an event passes <paramref name="filter"/> (debounced). */
export function useLive<T>(load: () => Promise<T>, filter: (type: string) => boolean, debounceMs = 150): { data: T | null; error: unknown; reload: () => void; loadedAt: number } {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loadedAt, setLoadedAt] = useState(Date.now());
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let cancelled = false;
    load().then(d => { if (!cancelled) { setData(d); setError(null); setLoadedAt(Date.now()); } }, e => { if (!cancelled) setError(e); });
    return () => { cancelled = true; };
  }, [tick]);
  useEffect(() => {
    let timer: number | undefined;
    const off = events.subscribe(e => {
      if (!filter(e.type)) return;
      window.clearTimeout(timer);
      timer = window.setTimeout(() => setTick(t => t + 1), debounceMs);
    });
    // After a reconnect the replay brings the missed events; reload anyway so nothing is stale.
    const offState = events.onState(s => { if (s === 'live') setTick(t => t + 1); });
    return () => { off(); offState(); window.clearTimeout(timer); };
  }, []);
  return { data, error, reload: () => setTick(t => t + 1), loadedAt };
}
