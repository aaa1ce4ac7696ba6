import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  AnalystTicketCreateBody,
  checkContact,
  checkName,
  checkProblem,
  checkReachable,
  CodeRedeemBody,
  CodeRedeemed,
  errorBody,
  ErrorBody,
  TicketCreateBody,
  TicketCreated,
  TicketCurrent,
  PhoneCode,
  type ErrorCode,
} from '../../protocol/index.js';
import { refuseOverLimit } from '../rate-limit.js';
import { Type } from 'typebox';
import { addressPseudonym } from '../client-address.js';
import type { TicketRecord } from '../store/ticket-store.js';
import { analystOf } from './auth.js';

/** Where customer links point: PUBLIC_URL when set, else the origin the request came to. */
function linkFor(app: FastifyInstance, req: FastifyRequest, token: string): string {
  const origin = app.relay.config.publicUrl || `${req.protocol}://${req.host}`;
  return `${origin}/s/${token}`;
}

/**
 * A code opens its ticket only while nobody answered it yet: waiting, the customer never
 * connected. Once the customer is in, a code (read aloud, overheard) must not open a second page
 * that would take their session over.
 */
const codeMayOpen = (ticket: TicketRecord) => ticket.state === 'waiting' && !ticket.customerSeen;

const TicketIdParams = Type.Object({ ticketId: Type.String({ minLength: 1, maxLength: 64 }) });

/** The customer token from `Authorization: Bearer <token>`. */
export function bearerToken(req: FastifyRequest): string | undefined {
  const header = req.headers.authorization;
  return header?.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
}

export async function ticketRoutes(instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  const { store, config } = app.relay;
  const queueExists = (id: string) => config.queues.some((q) => q.id === id);
  /** The queue's line is at WAITING_PER_QUEUE_MAX: no more requests may wait in it. */
  const queueFull = (id: string) => store.waitingIn(id).length >= config.waitingPerQueueMax;
  /** This address (/64) has WAITING_PER_ADDRESS_MAX requests waiting in all queues: it may not add one. */
  const addressFull = (origin: string) => store.waitingFrom(origin) >= config.waitingPerAddressMax;

  // A customer opens a ticket from the portal.
  app.post('/api/tickets', { schema: { body: TicketCreateBody, response: { 201: TicketCreated, '4xx': ErrorBody, '5xx': ErrorBody } } }, async (req, reply) => {
    const wait = await app.relay.limits.tickets(req);
    if (wait > 0) return refuseOverLimit(reply, wait);
    const { body } = req;
    if (!queueExists(body.queue)) return reply.code(400).send(errorBody('queue.unknown'));
    const refusal = checkContact(body) ?? checkProblem(body.problem ?? '');
    if (refusal) return reply.code(400).send(errorBody(refusal));
    if (!app.relay.outlook.isOpen(body.queue)) return reply.code(503).header('retry-after', 600).send(errorBody('queue.closed'));
    if (queueFull(body.queue)) return reply.code(503).header('retry-after', 120).send(errorBody('queue.full'));
    const origin = addressPseudonym(req.ip);
    if (addressFull(origin)) return reply.code(429).header('retry-after', 120).send(errorBody('queue.tooManyFromAddress'));
    // No await between the checks and the store's create: on one node, concurrent requests are counted one by one.
    const ticket = await store.create({
      origin,
      queue: body.queue,
      customer: { name: body.name.trim(), email: body.email?.trim() ?? '', phone: body.phone?.trim() ?? '', problem: body.problem?.trim() ?? '' },
      createdBy: 'customer',
    });
    return reply.code(201).send({ ticketId: ticket.id, token: ticket.token, url: linkFor(app, req, ticket.token) });
  });

  // An analyst on the phone makes a ticket and reads or sends the link to the customer.
  app.post('/api/analyst/tickets', { schema: { body: AnalystTicketCreateBody, response: { 201: TicketCreated, '4xx': ErrorBody } } }, async (req, reply) => {
    const analyst = await analystOf(app, req);
    if (!analyst) return reply.code(401).send(errorBody('auth.required'));
    const { body } = req;
    if (!queueExists(body.queue)) return reply.code(400).send(errorBody('queue.unknown'));
    if (!analyst.queues.includes(body.queue)) return reply.code(403).send(errorBody('ticket.notInYourQueues'));
    const email = body.email?.trim() ?? '';
    const phone = body.phone?.trim() ?? '';
    // The analyst has the caller on the line: only the name is needed (a contact given must be valid).
    const refusal: ErrorCode | null =
      checkName(body.name) ?? (email || phone ? checkReachable({ email, phone }) : null) ?? checkProblem(body.problem ?? '');
    if (refusal) return reply.code(400).send(errorBody(refusal));
    const ticket = await store.create({ queue: body.queue, customer: { name: body.name.trim(), email, phone, problem: body.problem?.trim() ?? '' }, createdBy: 'analyst' });
    const code = await app.relay.phoneCodes.issue(ticket.id);
    return reply.code(201).send({ ticketId: ticket.id, token: ticket.token, url: linkFor(app, req, ticket.token), code });
  });

  // A fresh code for a ticket the analyst made (the last one expired, or was mistyped too often):
  // the old one stops working.
  app.post('/api/analyst/tickets/:ticketId/code', { schema: { params: TicketIdParams, response: { 201: PhoneCode, '4xx': ErrorBody } } }, async (req, reply) => {
    const analyst = await analystOf(app, req);
    if (!analyst) return reply.code(401).send(errorBody('auth.required'));
    const ticket = store.get(req.params.ticketId);
    if (!ticket) return reply.code(404).send(errorBody('ticket.notFound'));
    if (!analyst.queues.includes(ticket.queue)) return reply.code(403).send(errorBody('ticket.notInYourQueues'));
    if (!codeMayOpen(ticket)) return reply.code(409).send(errorBody('code.notNeeded'));
    return reply.code(201).send(await app.relay.phoneCodes.issue(ticket.id));
  });

  // The customer typed the code the analyst read them: the ticket's link, as if they had opened it.
  app.post('/api/codes/redeem', { schema: { body: CodeRedeemBody, response: { 200: CodeRedeemed, '4xx': ErrorBody } } }, async (req, reply) => {
    const mine = await app.relay.limits.codeRedeem(req);
    if (mine > 0) return refuseOverLimit(reply, mine);
    const everyone = await app.relay.limits.codeRedeemTotal(req);
    if (everyone > 0) return refuseOverLimit(reply, everyone, 'code.tooManyGuesses');
    const ticketId = await app.relay.phoneCodes.redeem(req.body.code);
    const ticket = ticketId ? store.get(ticketId) : undefined;
    if (!ticket || !codeMayOpen(ticket)) {
      // A wrong code (not a spent one for a ticket that moved on) counts toward burning the live codes.
      if (!ticketId) await app.relay.phoneCodes.recordFailure();
      return reply.code(404).send(errorBody('code.invalid'));
    }
    return { ticketId: ticket.id, token: ticket.token, url: linkFor(app, req, ticket.token) };
  });

  // The customer's page checks its link before connecting, to say plainly when it is no longer valid.
  app.get('/api/tickets/current', { schema: { response: { 200: TicketCurrent, '4xx': ErrorBody } } }, async (req, reply) => {
    const token = bearerToken(req);
    const ticket = token ? await store.fetchByToken(token) : undefined;
    if (!ticket) return reply.code(404).send(errorBody('token.invalid'));
    const { queue, customer, state } = ticket;
    return { ticketId: ticket.id, queue, name: customer.name, state };
  });
}
