// Today's figures from the statistics API (docs/metrics.md): queue rows add up across queues and intervals because they
// carry the sums behind every ratio, so the whole-center figures are recomputed from the sums, never averaged ratios.
import type { AgentStatsRow, QueueStatsRow } from '../../api/types';

export interface Totals {
  offered: number; answered: number; abandoned: number; waiting: number;
  serviceLevel: number | null; abandonRate: number | null; asaSeconds: number | null;
  /** The service-level threshold when every row has the same one, else null (per-queue thresholds). */
  serviceLevelSeconds: number | null;
}

/** The sum of <paramref name="rows"/> with the ratios of §3: SL = within ÷ (offered − short abandons − waiting), etc. */
export function addRows(rows: QueueStatsRow[]): Totals {
  let offered = 0, answered = 0, abandoned = 0, short = 0, waiting = 0, within = 0, answeredWait = 0;
  const thresholds = new Set<number>();
  for (const r of rows) {
    offered += r.offered; answered += r.answered; abandoned += r.abandoned; short += r.shortAbandoned;
    waiting += r.waiting; within += r.answeredWithinThreshold; answeredWait += r.answeredWaitSeconds;
    thresholds.add(r.serviceLevelSeconds);
  }
  const base = offered - short - waiting;
  return {
    offered, answered, abandoned, waiting,
    serviceLevel: base > 0 ? within / base : null,
    abandonRate: base > 0 ? (abandoned - short) / base : null,
    asaSeconds: answered > 0 ? answeredWait / answered : null,
    serviceLevelSeconds: thresholds.size === 1 ? [...thresholds][0]! : null,
  };
}

/** One interval of the day across queues. */
export interface IntervalFigures extends Totals { start: number; end: number }

/** The day's intervals (all queues added) from the first one with calls (at most 2 hours before now when none) to now. */
export function dayIntervals(rows: QueueStatsRow[], nowMs: number): IntervalFigures[] {
  const byStart = new Map<string, QueueStatsRow[]>();
  for (const r of rows) byStart.set(r.intervalStart, [...(byStart.get(r.intervalStart) ?? []), r]);
  const all = [...byStart.entries()]
    .map(([start, list]) => ({ ...addRows(list), start: Date.parse(start), end: Date.parse(list[0]!.intervalEnd) }))
    .filter(i => i.start <= nowMs)
    .sort((a, b) => a.start - b.start);
  const first = all.findIndex(i => i.offered > 0);
  const recent = Math.max(0, all.length - 8);
  return all.slice(first < 0 ? recent : Math.min(first, recent));
}

/** An agent's time in each state within one interval, in seconds (logged out = the rest of the interval). */
export interface AgentCell {
  start: number; end: number; available: number; ringing: number; onCall: number; wrapUp: number; paused: number; loggedOut: number;
}

/** Per agent, its cells over the intervals from <paramref name="fromMs"/> to now. */
export function agentCells(rows: AgentStatsRow[], fromMs: number, nowMs: number): Map<string, AgentCell[]> {
  const cells = new Map<string, AgentCell[]>();
  for (const r of rows) {
    const start = Date.parse(r.intervalStart), end = Date.parse(r.intervalEnd);
    if (r.scope !== 'interval' || end <= fromMs || start > nowMs) continue;
    const length = (Math.min(end, nowMs) - start) / 1000;
    const cell: AgentCell = {
      start, end, available: r.availableSeconds, ringing: r.ringingSeconds, onCall: r.talkSeconds, wrapUp: r.wrapUpSeconds,
      paused: r.pausedSeconds, loggedOut: Math.max(0, length - r.staffedSeconds),
    };
    cells.set(r.agent, [...(cells.get(r.agent) ?? []), cell]);
  }
  for (const list of cells.values()) list.sort((a, b) => a.start - b.start);
  return cells;
}
