import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { AccountCreateBody, AccountList, AccountPatchBody, AccountView, ErrorBody, errorBody } from '../../protocol/index.js';
import type { AccountResult, Analyst } from '../auth/accounts.js';
import { analystOf } from './auth.js';

const IdParams = Type.Object({ id: Type.String({ maxLength: 64 }) }, { additionalProperties: false });

/** Admins manage analysts and their queues. Every route checks the admin role itself. */
export async function adminRoutes(instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  const { accounts } = app.relay;

  /** The signed-in admin, or null after answering 401/403. */
  const requireAdmin = async (req: FastifyRequest, reply: FastifyReply): Promise<Analyst | null> => {
    const who = await analystOf(app, req);
    if (who?.role === 'admin') return who;
    reply.code(who ? 403 : 401).send(errorBody(who ? 'auth.forbidden' : 'auth.required'));
    return null;
  };
  const answer = async (reply: FastifyReply, result: AccountResult, status = 200) => {
    if (!result.ok) return reply.code(result.code === 'account.notFound' ? 404 : result.code === 'account.usernameTaken' ? 409 : 400).send(errorBody(result.code));
    await accounts.flush(); // persisted before we say it is done
    return reply.code(status).send(result.account);
  };

  app.get('/api/admin/accounts', { schema: { response: { 200: AccountList, '4xx': ErrorBody } } }, async (req, reply) => {
    if (!await requireAdmin(req, reply)) return;
    return accounts.list();
  });

  app.post('/api/admin/accounts', { schema: { body: AccountCreateBody, response: { 201: AccountView, '4xx': ErrorBody } } }, async (req, reply) => {
    const admin = await requireAdmin(req, reply);
    if (!admin) return;
    const result = await accounts.create(req.body);
    if (result.ok) req.log.info({ event: 'account.created', by: admin.id, account: result.account.id }, 'account created');
    return answer(reply, result, 201);
  });

  app.patch('/api/admin/accounts/:id', { schema: { body: AccountPatchBody, params: IdParams, response: { 200: AccountView, '4xx': ErrorBody } } }, async (req, reply) => {
    const admin = await requireAdmin(req, reply);
    if (!admin) return;
    const { id } = req.params;
    const result = await accounts.update(id, req.body);
    if (result.ok) req.log.info({ event: 'account.updated', by: admin.id, account: id }, 'account updated');
    // A new password: where the old one signed in no longer opens a path past the lock-out.
    if (result.ok && req.body.password !== undefined) await app.relay.knownAddresses.forget(result.account.username);
    return answer(reply, result);
  });

  app.delete('/api/admin/accounts/:id', { schema: { params: IdParams, response: { 200: AccountView, '4xx': ErrorBody } } }, async (req, reply) => {
    const admin = await requireAdmin(req, reply);
    if (!admin) return;
    const { id } = req.params;
    const result = await accounts.remove(id);
    if (result.ok) req.log.info({ event: 'account.removed', by: admin.id, account: id }, 'account removed');
    if (result.ok) await app.relay.knownAddresses.forget(result.account.username);
    return answer(reply, result);
  });
}
