import Fastify, { type FastifyError, type FastifyInstance, type FastifyServerOptions } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifyWebsocket from '@fastify/websocket';
import { CLOSE_CODES, errorBody, LIMITS } from '../protocol/index.js';
import { JsonFileAccountRepository, MemoryAccountRepository } from './auth/account-store.js';
import { ReplicatedAccountRepository } from './auth/replicated-accounts.js';
import { AccountService } from './auth/accounts.js';
import { MemoryLoginThrottle } from './auth/login-throttle.js';
import { HashGate } from './auth/hash-gate.js';
import { MemoryKnownAddresses } from './auth/known-addresses.js';
import { RedisKnownAddresses, RedisLoginThrottle, RedisUsedCodes } from './redis/redis-counters.js';
import { MemoryUsedCodes } from './auth/used-codes.js';
import { requestLimits } from './rate-limit.js';
import { MemoryHelperPairing, RedisHelperPairing } from './helper-pairing.js';
import { MemoryShortCodes, PHONE_CODE_TRIES_PER_MINUTE, PHONE_CODE_TRIES_PER_MINUTE_TOTAL, PHONE_CODES, RedisShortCodes } from './short-codes.js';
import { adminRoutes } from './routes/admin.js';
import { MemoryLoginSessions, RedisLoginSessions } from './auth/login-sessions.js';
import { RedisLink } from './redis/link.js';
import { RedisBus } from './redis/redis-bus.js';
import { RedisTicketStore } from './redis/redis-store.js';
import { systemClock, type Clock } from './clock.js';
import type { Config } from './config.js';
import type { RelayContext } from './context.js';
import { Hub } from './hub.js';
import { QueueHours } from './queue-hours.js';
import { OUTLOOK_REFRESH_MS, QueueOutlooks } from './queue-outlook.js';
import { MemoryTeamPresence, RedisTeamPresence } from './team-presence.js';
import { MemoryRatingSlots, RedisRatingSlots } from './rating-slots.js';
import { LocalBus, type Bus } from './bus.js';
import { LocalNodeRegistry, RedisNodeRegistry } from './node-registry.js';
import { Metrics } from './metrics.js';
import { metricsRoutes } from './routes/metrics.js';
import { authRoutes } from './routes/auth.js';
import { totpRoutes } from './routes/totp.js';
import { healthRoutes } from './routes/health.js';
import { pageRoutes } from './routes/pages.js';
import { helperDownloadRoutes } from './routes/helper-downloads.js';
import { securityHeaders } from './routes/security-headers.js';
import { queueRoutes } from './routes/queues.js';
import { ticketRoutes } from './routes/tickets.js';
import { ratingRoutes } from './routes/ratings.js';
import { supervisorRoutes } from './routes/supervisor.js';
import { DayStats } from './day-stats.js';
import { wsRoutes } from './routes/ws.js';
import { MemoryTicketStore } from './store/memory-store.js';
import { RestTurnIssuer, type IceServerIssuer } from './turn-credentials.js';
import type { TicketStore } from './store/ticket-store.js';

export interface AppOptions {
  clock?: Clock;
  store?: TicketStore;
  logger?: FastifyServerOptions['logger'];
  iceIssuer?: IceServerIssuer;
  bus?: Bus;
  /** Where the JSON logs go (stdout by default); tests read them to prove no personal data leaks. */
  logStream?: NodeJS.WritableStream;
  /** How often waiting tickets of absent customers are checked for expiry. */
  sweepIntervalMs?: number;
}

// Personal data never reaches the logs: customer tokens are cut out of URLs.
export function redactUrl(url: string): string {
  return url.replace(/\/s\/[^/?#]+/, '/s/:token').replace(/\?.*$/, '');
}

export async function buildApp(config: Config, options: AppOptions = {}): Promise<FastifyInstance> {
  // One options object for HTTP and HTTPS; Fastify's types split them, the runtime does not.
  const serverOptions = {
    // HTTPS when given a certificate (TLS_CERT/TLS_KEY); otherwise plain HTTP behind a TLS proxy, or on localhost.
    ...(config.tls ? { https: config.tls } : {}),
    // X-Forwarded-* are believed only from the proxies ops named (TRUST_PROXY); by default, from no one.
    trustProxy: config.trustProxy,
    logger: options.logger ?? {
      level: config.logLevel,
      serializers: { req: (req: { method: string; url: string }) => ({ method: req.method, url: redactUrl(req.url) }) },
      ...(options.logStream ? { stream: options.logStream } : {}),
    },
    bodyLimit: LIMITS.bodyMaxBytes,
    // Wrong types are errors, not something to coerce; unknown fields are refused, not stripped.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: false, useDefaults: false } },
  };
  const app = Fastify(serverOptions as FastifyServerOptions) as unknown as FastifyInstance;

  // The API speaks JSON only: a text/plain body is a client mistake, not a string to validate.
  app.removeContentTypeParser('text/plain');

  // External plugins first.
  await app.register(fastifyCookie);
  let sweep: NodeJS.Timeout | undefined;
  await app.register(fastifyWebsocket, {
    // Frames over LIMITS.frameMaxBytes get a typed error; only far larger ones make ws drop the socket.
    options: { maxPayload: LIMITS.frameMaxBytes * 4 },
    // Graceful shutdown: readiness fails first, then every client is told why its socket closes.
    preClose: (done) => {
      relay.shuttingDown = true;
      clearInterval(sweep);
      relay.hub.shutdown(CLOSE_CODES.shuttingDown, 'server shutting down').then(() => done(), () => done());
    },
  });

  // Then our own state.
  const clock = options.clock ?? systemClock;
  // With REDIS_URL, tickets, sign-ins, accounts and relays are shared by every node.
  const link = config.redisUrl ? await RedisLink.connect(config.redisUrl, config.redisPrefix, config.redisConnectWaitMs, (m) => app.log.warn(m)) : null;
  const store = options.store ?? (link ? await RedisTicketStore.open(link, clock) : new MemoryTicketStore(clock));
  // With Redis, every node also keeps the accounts in its own DATA_DIR, so Redis is never the only copy.
  const file = config.dataDir ? new JsonFileAccountRepository(config.dataDir) : null;
  if (link && !file) throw new Error('REDIS_URL needs DATA_DIR: each node keeps a durable copy of the accounts there.');
  const repository = link && file ? new ReplicatedAccountRepository(link, config.nodeId, file) : file ?? new MemoryAccountRepository();
  const { service: accounts, seeded } = await AccountService.open(repository, config.queues.map((q) => q.id), config.analysts, clock, { N: config.passwordScryptN, r: 8, p: 1 });
  const pairing = link ? new RedisHelperPairing(link, clock) : new MemoryHelperPairing(clock);
  const bus = options.bus ?? (link ? await RedisBus.open(link, config.nodeId) : new LocalBus());
  const nodes = link ? await RedisNodeRegistry.start(link, bus.nodeId) : new LocalNodeRegistry(bus.nodeId);
  const team = link ? await RedisTeamPresence.start(link, bus.nodeId, clock) : new MemoryTeamPresence();
  const outlook = new QueueOutlooks(clock, new QueueHours(config.queueHours, config.queueTimeZone), team);
  const dayStats = new DayStats(store, clock, config.queueTimeZone);
  const ratings = link ? new RedisRatingSlots(link) : new MemoryRatingSlots(clock);
  const hub = new Hub(store, config.queues, clock, options.iceIssuer ?? new RestTurnIssuer(config, clock), pairing, bus, nodes, { team, outlooks: outlook, ratings });
  const throttleOptions = {
    failuresBeforeLock: config.loginFailuresBeforeLock,
    lockMs: config.loginLockMs,
    maxLockMs: 15 * 60_000,
    // A day without a failure, long after the longest lock: the backoff does not start over after each lock.
    forgetAfterMs: 24 * 60 * 60_000,
  };
  const relay: RelayContext = {
    config,
    clock,
    store,
    hub,
    team,
    outlook,
    ratings,
    dayStats,
    metrics: new Metrics(store, hub, config.queues, clock, { team, dayStats }),
    accounts,
    hashGate: new HashGate(),
    usedCodes: link ? new RedisUsedCodes(link) : new MemoryUsedCodes(clock),
    knownAddresses: link ? new RedisKnownAddresses(link, clock) : new MemoryKnownAddresses(clock),
    throttle: link ? new RedisLoginThrottle(link, clock, throttleOptions) : new MemoryLoginThrottle(clock, throttleOptions),
    // Per address and minute; with Redis, one budget for all nodes.
    limits: await requestLimits(app, { login: config.loginRatePerMinute, tickets: config.ticketRatePerMinute, helperPairing: 10, helperDownload: 20, codeRedeem: PHONE_CODE_TRIES_PER_MINUTE, codeRedeemTotal: PHONE_CODE_TRIES_PER_MINUTE_TOTAL }, link && { client: link.cmd, prefix: link.prefix }),
    pairing,
    phoneCodes: link ? new RedisShortCodes(link, clock, PHONE_CODES) : new MemoryShortCodes(clock, PHONE_CODES),
    logins: link ? new RedisLoginSessions(link, config.loginTtlMs) : new MemoryLoginSessions(clock, config.loginTtlMs),
    shuttingDown: false,
    storeReachable: () => link?.ready ?? true,
  };
  app.decorate('relay', relay);
  app.decorate('seededAccounts', seeded);
  // An account changed (queues, role, disabled, removed): its open consoles reconnect and see the change.
  accounts.onChange((accountId) => hub.refreshAnalyst(accountId));
  // The life of every ticket, for ops: ids, queue and states only, never who the customer is.
  store.subscribe((ticket, previous) => {
    if (previous === ticket.state) return;
    app.log.info({ ticketId: ticket.id, queue: ticket.queue, from: previous, to: ticket.state, endReason: ticket.endReason }, 'ticket state');
  });
  app.decorateRequest('identity', null);

  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err.validation) return reply.code(400).send(errorBody('request.invalidBody'));
    switch (err.code) {
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return reply.code(400).send(errorBody('request.invalidJson'));
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return reply.code(413).send(errorBody('request.tooLarge'));
    }
    if (err instanceof SyntaxError) return reply.code(400).send(errorBody('request.invalidJson'));
    if (err.statusCode && err.statusCode < 500) return reply.code(err.statusCode).send(errorBody('request.invalidBody'));
    req.log.error({ err }, 'request failed');
    return reply.code(500).send(errorBody('server.internal'));
  });
  // Every error answered over HTTP is counted by code, whichever route answered it.
  app.addHook('onSend', async (_req, reply, payload) => {
    if (reply.statusCode >= 400 && typeof payload === 'string') {
      const code = /^\{"error":\{"code":"([A-Za-z.]+)"/.exec(payload)?.[1];
      if (code) relay.metrics.countError(code);
    }
    return payload;
  });
  app.setNotFoundHandler((_req, reply) => reply.code(404).send(errorBody('request.notFound')));

  const limits = { customer: config.customerGraceMs, link: config.linkTtlMs, member: config.memberGraceMs, closed: config.closedGraceMs, maxWait: config.maxWaitMs };
  // One sweep at a time: a tick that comes while the last one still waits on Redis is skipped
  // (overlapping sweeps pile up round trips exactly when the store is slow).
  let sweeping = false;
  sweep = setInterval(
    () => {
      hub.refreshIce();
      if (sweeping) return;
      sweeping = true;
      void hub
        .releaseDeadConnections()
        .then(() => store.expireOffline(limits))
        .catch((err) => app.log.error({ err }, 'expiry sweep failed'))
        .finally(() => (sweeping = false));
    },
    options.sweepIntervalMs ?? 1000,
  );
  sweep.unref();
  // Estimates move with time, queues open and close: the waiting customers hear it.
  const outlookTimer = setInterval(() => hub.refreshOutlooks(), OUTLOOK_REFRESH_MS);
  outlookTimer.unref();
  app.addHook('onClose', async () => {
    clearInterval(outlookTimer);
    relay.hub.dispose();
    await team.stop();
    await nodes.stop();
    await bus.close();
    await store.close();
    await link?.close();
  });

  // Every response, whichever route answers it.
  await app.register(securityHeaders, { config });

  // Routes.
  await app.register(healthRoutes);
  await app.register(metricsRoutes);
  await app.register(queueRoutes);
  await app.register(authRoutes);
  await app.register(totpRoutes);
  await app.register(ticketRoutes);
  await app.register(ratingRoutes);
  await app.register(supervisorRoutes);
  await app.register(adminRoutes);
  await app.register(wsRoutes);
  await app.register(helperDownloadRoutes);
  await app.register(pageRoutes);
  return app;
}
