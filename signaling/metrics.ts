import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { QueueInfo } from '../protocol/index.js';
import type { Clock } from './clock.js';
import type { Hub } from './hub.js';
import { isInSession } from './session-machine.js';
import type { TicketStore } from './store/ticket-store.js';
import type { DayStats, QueueDay } from './day-stats.js';
import { shownStatus, type TeamPresence } from './team-presence.js';

/**
 * Prometheus metrics for ops. Gauges are computed from the store and hub at scrape time, so they
 * can never drift from the real state; counters and histograms are fed by events. Labels carry
 * queue ids, states, routes and error codes only: never names, emails, tokens or addresses.
 */
export class Metrics {
  readonly registry = new Registry();
  private readonly timeToTake: Histogram;
  private readonly routes: Counter;
  private readonly errors: Counter;
  private readonly ratings: Counter;
  private readonly reportedRoutes = new Set<string>();

  constructor(store: TicketStore, hub: Hub, queues: QueueInfo[], clock: Clock, center: { team: TeamPresence; dayStats: DayStats }) {
    const registers = [this.registry];
    new Gauge({
      name: 'relaydesk_analysts',
      help: 'Analysts with a console open on any node, by status: available, away, inSession.',
      labelNames: ['status'],
      registers,
      collect() {
        const counts = { available: 0, away: 0, inSession: 0 };
        for (const person of center.team.all()) counts[shownStatus(person, (id) => isInSession(store.get(id)?.state ?? 'ended'))] += 1;
        for (const [status, n] of Object.entries(counts)) this.set({ status }, n);
      },
    });
    // Today so far per queue (DayStats), one gauge each; a queue without a value yet has none.
    const today: Array<[name: string, help: string, value: (day: QueueDay) => number | null]> = [
      ['relaydesk_today_takes', 'Requests taken today in each queue (since midnight in QUEUE_TIMEZONE or the node\'s start; memory only).', (day) => day.takes],
      ['relaydesk_today_sessions', 'Sessions ended today in each queue after the customer allowed them (memory only).', (day) => day.sessions],
      ['relaydesk_today_time_to_take_median_seconds', 'Median time from request to take today, per queue (absent before the first take).', (day) => (day.medianTimeToTakeMs === null ? null : day.medianTimeToTakeMs / 1000)],
    ];
    for (const [name, help, value] of today) {
      new Gauge({
        name,
        help,
        labelNames: ['queue'],
        registers,
        collect() {
          this.reset();
          for (const q of queues) {
            const v = value(center.dayStats.of(q.id));
            if (v !== null) this.set({ queue: q.id }, v);
          }
        },
      });
    }
    new Gauge({
      name: 'relaydesk_connections',
      help: 'Open WebSocket connections, by role.',
      labelNames: ['role'],
      registers,
      collect() {
        this.set({ role: 'customer' }, hub.customerCount);
        this.set({ role: 'analyst' }, hub.analystCount);
      },
    });
    new Gauge({
      name: 'relaydesk_tickets_waiting',
      help: 'Tickets waiting in each queue.',
      labelNames: ['queue'],
      registers,
      collect() {
        for (const q of queues) this.set({ queue: q.id }, store.waitingIn(q.id).length);
      },
    });
    new Gauge({
      name: 'relaydesk_sessions',
      help: 'Sessions not yet ended, by state (offered, consented, live).',
      labelNames: ['state'],
      registers,
      collect() {
        const counts = { offered: 0, consented: 0, live: 0 };
        for (const t of store.all()) if (isInSession(t.state)) counts[t.state as keyof typeof counts] += 1;
        for (const [state, n] of Object.entries(counts)) this.set({ state }, n);
      },
    });
    this.timeToTake = new Histogram({
      name: 'relaydesk_time_to_take_seconds',
      help: 'Time from ticket creation to an analyst taking it.',
      buckets: [5, 15, 30, 60, 120, 300, 600, 1800],
      registers,
    });
    this.routes = new Counter({
      name: 'relaydesk_session_routes_total',
      help: 'Sessions by the media route the analyst measured: direct (host/srflx) or relay (TURN).',
      labelNames: ['route'],
      registers,
    });
    this.errors = new Counter({
      name: 'relaydesk_errors_total',
      help: 'Errors answered to clients, by code (HTTP and WebSocket).',
      labelNames: ['code'],
      registers,
    });

    this.ratings = new Counter({
      name: 'relaydesk_ratings_total',
      help: 'Session ratings customers gave on the ended screen, by queue and score (1-5). Comments are never counted or kept.',
      labelNames: ['queue', 'score'],
      registers,
    });

    store.subscribe((ticket, previous) => {
      if (previous === 'waiting' && ticket.state === 'offered') this.timeToTake.observe((clock.now() - ticket.createdAt) / 1000);
      if (ticket.state === 'ended') this.reportedRoutes.delete(ticket.id);
    });
  }

  countRating(queue: string, score: number): void {
    this.ratings.inc({ queue, score: String(score) });
  }

  countError(code: string): void {
    this.errors.inc({ code });
  }

  /** Counts a session's route once, however often its analyst reports it. */
  countRoute(sessionId: string, route: 'direct' | 'relay'): void {
    if (this.reportedRoutes.has(sessionId)) return;
    this.reportedRoutes.add(sessionId);
    this.routes.inc({ route });
  }
}
