import type { FastifyInstance } from 'fastify';
import type { AccountService, Analyst } from './auth/accounts.js';
import type { LoginThrottle } from './auth/login-throttle.js';
import type { HashGate } from './auth/hash-gate.js';
import type { RequestLimits } from './rate-limit.js';
import type { KnownAddresses } from './auth/known-addresses.js';
import type { HelperPairing } from './helper-pairing.js';
import type { LoginSessions } from './auth/login-sessions.js';
import type { Clock } from './clock.js';
import type { Config } from './config.js';
import type { Hub } from './hub.js';
import type { Metrics } from './metrics.js';
import type { TicketRecord, TicketStore } from './store/ticket-store.js';

/** Everything the routes share, decorated onto the Fastify instance as `relay`. */
export interface RelayContext {
  config: Config;
  clock: Clock;
  store: TicketStore;
  hub: Hub;
  /** Who of the team is online and available, on every node. */
  team: import('./team-presence.js').TeamPresence;
  /** Each queue's opening hours, team and estimated wait, as customers see them. */
  outlook: import('./queue-outlook.js').QueueOutlooks;
  /** The ended sessions that may still be rated (POST /api/ratings). */
  ratings: import('./rating-slots.js').RatingSlots;
  /** Today's takes, time-to-take and sessions per queue (memory only). */
  dayStats: import('./day-stats.js').DayStats;
  metrics: Metrics;
  accounts: AccountService;
  throttle: LoginThrottle;
  /** Where each user name signed in before (their own path past a lock-out). */
  knownAddresses: KnownAddresses;
  /** One-time codes already used (two-step sign-in). */
  usedCodes: import('./auth/used-codes.js').UsedCodes;
  /** Bounds the password hashes running at once (sign-in floods). */
  hashGate: HashGate;
  /** Requests per address and minute (shared by all nodes with Redis). */
  limits: RequestLimits;
  pairing: HelperPairing;
  /** The 6-digit codes analysts read to callers (POST /api/analyst/tickets, POST /api/codes/redeem). */
  phoneCodes: import('./short-codes.js').ShortCodes;
  logins: LoginSessions;
  shuttingDown: boolean;
  /** False while the shared store (Redis) cannot be reached; always true without one. */
  storeReachable(): boolean;
}

/** Who opened a WebSocket, decided at the HTTP upgrade before any frame is read. */
export type Identity =
  | { role: 'customer'; ticket: TicketRecord }
  | { role: 'helper'; ticket: TicketRecord }
  | { role: 'analyst'; analyst: Analyst };

declare module 'fastify' {
  interface FastifyInstance {
    relay: RelayContext;
    /** Accounts created at this start because the store was empty (the banner prints them). */
    seededAccounts: import('./config.js').AnalystConfig[];
  }
  interface FastifyRequest {
    identity: Identity | null;
  }
}

export type RelayApp = FastifyInstance;
