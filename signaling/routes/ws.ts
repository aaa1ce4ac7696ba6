import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { errorBody, HELPER_CODE_PATTERN, HELPER_WS_PATH, HelperSocketQuery, SocketQuery, WS_PATH } from '../../protocol/index.js';
import { FrameBucket, refuseOverLimit } from '../rate-limit.js';
import { Connection } from '../ws/connection.js';
import { dispatchFrame } from '../ws/dispatch.js';
import { keepAlive } from '../ws/keepalive.js';
import { analystOf } from './auth.js';

/** A browser's Origin must match the host it connects to (stops other sites riding an analyst's cookie). */
function originAllowed(req: FastifyRequest): boolean {
  const origin = req.headers.origin;
  if (!origin) return true; // not a browser
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}

export async function wsRoutes(app: FastifyInstance): Promise<void> {
  const { store, hub, config, metrics, pairing, limits } = app.relay;
  const countError = (code: string) => metrics.countError(code);
  // Sockets whose other end vanished without a word are found and dropped (ws/keepalive.ts).
  const stopKeepAlive = keepAlive(app.websocketServer, config.wsPingMs);
  app.addHook('onClose', async () => stopKeepAlive());

  // Authenticate on the upgrade, before any frame can be read: a customer by the token of their
  // ticket, an analyst by their login cookie. preHandler: after the query passed its schema (a
  // repeated ?token= is an array, refused with 400 before any lookup).
  const authenticate = async (req: FastifyRequest<{ Querystring: SocketQuery }>, reply: FastifyReply) => {
    if (!originAllowed(req)) return reply.code(403).send(errorBody('frame.forbidden'));
    const token = req.query.token;
    if (token) {
      const ticket = await store.fetchByToken(token);
      if (!ticket) return reply.code(401).send(errorBody('token.invalid'));
      req.identity = { role: 'customer', ticket };
      return;
    }
    const analyst = await analystOf(app, req);
    if (!analyst) return reply.code(401).send(errorBody('auth.required'));
    req.identity = { role: 'analyst', analyst };
  };

  // Every pairing attempt counts against the address first, whatever its query looks like. The
  // helper is a program: a browser (any website can make its visitors' browsers open WebSockets
  // here) always sends an Origin, and is refused.
  const limitHelperPairing = async (req: FastifyRequest, reply: FastifyReply) => {
    const wait = await limits.helperPairing(req);
    if (wait > 0) return refuseOverLimit(reply, wait);
    if (req.headers.origin !== undefined) {
      req.log.info({ event: 'helper.fromBrowser' }, 'helper pairing from a browser refused');
      return reply.code(403).send(errorBody('helper.fromBrowser'));
    }
  };

  // The helper proves it belongs to a ticket with the single-use code the customer's page showed.
  const authenticateHelper = async (req: FastifyRequest<{ Querystring: HelperSocketQuery }>, reply: FastifyReply) => {
    const code = req.query.code ?? '';
    const ticketId = HELPER_CODE_PATTERN.test(code) ? await pairing.redeem(code) : null;
    const ticket = ticketId ? store.get(ticketId) : undefined;
    if (!ticket) {
      req.log.info({ event: 'helper.badCode' }, 'helper pairing refused');
      // Enough wrong codes from anywhere: the live codes are burned; their customers get new ones at once.
      for (const burnedTicket of ticketId ? [] : await pairing.recordFailure()) await hub.replaceBurnedCode(burnedTicket);
      return reply.code(401).send(errorBody('helper.invalidCode'));
    }
    req.identity = { role: 'helper', ticket };
  };

  const onSocket = (socket: import('ws').WebSocket, req: FastifyRequest) => {
    const identity = req.identity!;
    const conn =
      identity.role === 'analyst'
        ? new Connection(`${hub.nodeId}.${randomUUID()}`, 'analyst', socket, identity.analyst, null, countError)
        : new Connection(`${hub.nodeId}.${randomUUID()}`, identity.role, socket, null, identity.ticket.id, countError);
    hub.register(conn);
    conn.bucket = new FrameBucket(config.frameRatePerSecond, () => app.relay.clock.now());
    // Listeners first, synchronously, so no early frame is lost.
    // Frames of one socket are handled one after the other (a store write may take a round trip
    // to Redis), so a signal can never overtake the consent that allows it. While nothing is
    // pending, a synchronous handler runs at once, without any promise.
    let queue: Promise<void> | null = null;
    const failed = (err: unknown) => {
      req.log.error({ err }, 'frame handler failed');
      conn.sendError('server.internal');
    };
    const handle = (raw: Buffer, isBinary: boolean): Promise<void> | void => {
      try {
        return dispatchFrame({ conn, store, hub, metrics, pairing }, raw, isBinary);
      } catch (err) {
        failed(err);
      }
    };
    const enqueue = (work: () => Promise<void> | void) => {
      const result = queue ? queue.then(work) : work();
      if (result instanceof Promise) {
        const tail: Promise<void> = result.catch(failed).finally(() => {
          if (queue === tail) queue = null;
        });
        queue = tail;
      }
    };
    socket.on('message', (raw: Buffer, isBinary: boolean) => enqueue(() => handle(raw, isBinary)));
    // 1000/1001/1005: the page closed its socket on purpose (tab closed, page left: a close frame
    // was sent). 1006 (no close frame: the network dropped) or our own codes leave the person a
    // grace to reconnect.
    socket.on('close', (code: number) => {
      const clean = code === 1000 || code === 1001 || code === 1005;
      enqueue(() => hub.detach(conn, clean));
    });
    if (identity.role === 'analyst') {
      enqueue(() => hub.attachAnalyst(conn, config.queues.filter((q) => identity.analyst.queues.includes(q.id))));
      return;
    }
    // The ticket may have ended between the upgrade check and now (the store's write re-checks).
    const ticket = store.get(identity.ticket.id) ?? identity.ticket;
    enqueue(() => (identity.role === 'customer' ? hub.attachCustomer(conn, ticket) : hub.attachHelper(conn, ticket)));
  };
  app.get<{ Querystring: SocketQuery }>(WS_PATH, { websocket: true, schema: { querystring: SocketQuery }, preHandler: authenticate }, onSocket);
  app.get<{ Querystring: HelperSocketQuery }>(
    HELPER_WS_PATH,
    { websocket: true, onRequest: limitHelperPairing, schema: { querystring: HelperSocketQuery }, preHandler: authenticateHelper },
    onSocket,
  );
}
