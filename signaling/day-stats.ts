import type { Clock } from './clock.js';
import type { TicketStore } from './store/ticket-store.js';

/** One queue's day so far. */
export interface QueueDay {
  /** Requests analysts took. */
  takes: number;
  /** Sessions that ended after the customer allowed them. */
  sessions: number;
  /** Median time from request to take, in ms (null before the first take). */
  medianTimeToTakeMs: number | null;
}

const median = (values: number[]): number | null => {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};

/**
 * Today's takes, time-to-take and sessions per queue, for the supervisor's view and /metrics:
 * memory only, from the store's change events (every node sees every change, so every node
 * counts the same), started afresh at midnight in QUEUE_TIMEZONE and at a restart.
 */
export class DayStats {
  private day = '';
  private readonly queues = new Map<string, { takes: number; sessions: number; waits: number[] }>();
  private readonly dayOf: Intl.DateTimeFormat;

  constructor(store: TicketStore, private readonly clock: Clock, timeZone: string) {
    this.dayOf = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    store.subscribe((ticket, previous) => {
      if (previous === 'waiting' && ticket.state === 'offered') {
        const day = this.today(ticket.queue);
        day.takes += 1;
        day.waits.push(this.clock.now() - ticket.createdAt);
      }
      if (ticket.state === 'ended' && (previous === 'consented' || previous === 'live')) this.today(ticket.queue).sessions += 1;
    });
  }

  /** The queue's day so far (zeros for a queue with nothing today). */
  of(queue: string): QueueDay {
    this.rollOver();
    const day = this.queues.get(queue);
    return { takes: day?.takes ?? 0, sessions: day?.sessions ?? 0, medianTimeToTakeMs: median(day?.waits ?? []) };
  }

  private rollOver(): void {
    const day = this.dayOf.format(this.clock.now());
    if (day === this.day) return;
    this.day = day;
    this.queues.clear();
  }

  private today(queue: string) {
    this.rollOver();
    let day = this.queues.get(queue);
    if (!day) this.queues.set(queue, (day = { takes: 0, sessions: 0, waits: [] }));
    return day;
  }
}
