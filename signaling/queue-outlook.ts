import type { QueueOutlook } from '../protocol/index.js';
import type { Clock } from './clock.js';
import type { QueueHours } from './queue-hours.js';
import { teamOf, type TeamPresence } from './team-presence.js';

/** The takes an estimate is made from: the last TAKES_KEPT of each queue within TAKE_WINDOW_MS. */
export const TAKE_WINDOW_MS = 30 * 60_000;
export const TAKES_KEPT = 50;
/** How often the waiting customers' outlooks are looked at again (the estimate grows while no one is taken). */
export const OUTLOOK_REFRESH_MS = 15_000;
/** Fewer recent takes than this and the queue's pace is unknown: no estimate. */
export const MIN_TAKES = 2;

/**
 * Whole minutes, rounded up, and coarser the longer the wait (an estimate is not a promise, and a
 * long line's estimates should not tick every few seconds): 0 under a minute ("less than a
 * minute"), then to the minute up to 10, to 5 minutes up to an hour, to 15 beyond.
 */
export function minutesOf(ms: number): number {
  if (ms < 60_000) return 0;
  const minutes = Math.ceil(ms / 60_000);
  const step = minutes <= 10 ? 1 : minutes <= 60 ? 5 : 15;
  return Math.ceil(minutes / step) * step;
}

/** The fields of an outlook as one short string: what a customer was told, to compare with what they would be told now. */
export const outlookKey = (o: QueueOutlook): string => `${o.open ? 1 : 0}|${o.opensAt ?? ''}|${o.analystsOnline}|${o.analystsAvailable}|${o.estimatedMinutes ?? ''}`;

/**
 * What a customer may expect of each queue: open or not, who is there, and how long the wait
 * should be. The estimate is the queue's recent pace, in memory only: over the last takes (at
 * most TAKES_KEPT, none older than TAKE_WINDOW_MS), one take every (now − oldest) / count, so a
 * place p waits p of those intervals. The interval is measured up to now, so a queue whose takes
 * have stopped shows a growing wait, not the pace of an hour ago. Every node records the takes
 * it sees in the store's change events (every node sees every change), so all give the same answer.
 */
export class QueueOutlooks {
  private readonly takes = new Map<string, number[]>();
  private readonly intervals = new Map<string, { at: number; interval: number | null }>();
  /** Each queue's open/team part, kept for the minute (a pass over a long line asks for it per customer). */
  private readonly bases = new Map<string, { minute: number; base: Omit<QueueOutlook, 'estimatedMinutes'> }>();

  constructor(
    private readonly clock: Clock,
    private readonly hours: QueueHours,
    private readonly team: TeamPresence,
  ) {
    team.onChange(() => this.bases.clear());
  }

  recordTake(queue: string, at = this.clock.now()): void {
    const list = this.takes.get(queue) ?? [];
    list.push(at);
    if (list.length > TAKES_KEPT) list.splice(0, list.length - TAKES_KEPT);
    this.takes.set(queue, list);
    this.intervals.delete(queue);
  }

  isOpen(queue: string): boolean {
    return this.hours.isOpen(queue, this.clock.now());
  }

  /** Milliseconds a customer at `position` (1-based) should wait, or null when the pace is unknown. */
  estimateMs(queue: string, position: number): number | null {
    const interval = this.interval(queue);
    return interval === null ? null : position * interval;
  }

  /** One take every so many ms, now; kept for the instant (a pass asks it for every customer of the queue). */
  private interval(queue: string): number | null {
    const now = this.clock.now();
    const kept = this.intervals.get(queue);
    if (kept?.at === now) return kept.interval;
    const takes = this.takes.get(queue) ?? [];
    const first = takes.findIndex((at) => now - at <= TAKE_WINDOW_MS);
    const count = first < 0 ? 0 : takes.length - first;
    const interval = count < MIN_TAKES ? null : (now - takes[first]) / count;
    this.intervals.set(queue, { at: now, interval });
    return interval;
  }

  /** The outlook at `position` in `queue`'s line (a new request: the end of the line + 1). */
  outlook(queue: string, position: number): QueueOutlook {
    const base = this.base(queue);
    const estimate = base.analystsOnline > 0 && base.open ? this.estimateMs(queue, position) : null;
    return estimate === null ? base : { ...base, estimatedMinutes: minutesOf(estimate) };
  }

  private base(queue: string): Omit<QueueOutlook, 'estimatedMinutes'> {
    const now = this.clock.now();
    const minute = Math.floor(now / 60_000);
    const kept = this.bases.get(queue);
    if (kept?.minute === minute) return kept.base;
    const [team] = teamOf(this.team.all(), [queue]);
    const open = this.hours.isOpen(queue, now);
    const opensAt = open ? undefined : this.hours.opensAt(queue, now);
    const base = { open, ...(opensAt !== undefined ? { opensAt } : {}), analystsOnline: team.online, analystsAvailable: team.available };
    this.bases.set(queue, { minute, base });
    return base;
  }
}
