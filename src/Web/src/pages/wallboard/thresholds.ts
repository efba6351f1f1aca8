// When a wallboard tile turns amber or red. Longest wait in seconds; service level as a ratio (target from the server).
import type { Level } from '../../ui/components';

export const longestWait = { warnSeconds: 30, alertSeconds: 60 };
export const serviceLevel = { warnBelow: 0.8, alertBelow: 0.6 };
/** The service-level target drawn on the wallboard's chart (the share answered within each queue's threshold). */
export const serviceLevelTarget = 0.8;
export const abandonRate = { warnAbove: 0.05, alertAbove: 0.1 };

export function waitLevel(seconds: number): Level {
  return seconds >= longestWait.alertSeconds ? 'alert' : seconds >= longestWait.warnSeconds ? 'warn' : 'ok';
}

export function serviceLevelLevel(ratio: number | null, target: number): Level {
  if (ratio === null) return 'none';
  const warn = Math.max(target, serviceLevel.warnBelow);
  return ratio < serviceLevel.alertBelow ? 'alert' : ratio < warn ? 'warn' : 'ok';
}

export function abandonLevel(ratio: number | null): Level {
  if (ratio === null) return 'none';
  return ratio > abandonRate.alertAbove ? 'alert' : ratio > abandonRate.warnAbove ? 'warn' : 'ok';
}
