import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ErrorBody, errorBody, LoginBody, SignedInAnalyst, SignedOut } from '../../protocol/index.js';
import type { Analyst } from '../auth/accounts.js';
import { LOGIN_COOKIE } from '../auth/login-sessions.js';

/** What the browser learns of the signed-in analyst (protocol's SignedInAnalyst). */
const signedIn = ({ id, displayName, role, queues }: Analyst): SignedInAnalyst => ({ id, displayName, role, queues });

/** The signed-in analyst for a request, from the login cookie. */
export async function analystOf(app: FastifyInstance, req: FastifyRequest): Promise<Analyst | null> {
  const analystId = await app.relay.logins.resolve(req.cookies[LOGIN_COOKIE]);
  return analystId ? app.relay.accounts.byId(analystId) ?? null : null;
}

export async function authRoutes(instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  const { throttle, limits, config } = app.relay;
  app.post('/api/login', { schema: { body: LoginBody, response: { 200: SignedInAnalyst, '4xx': ErrorBody } } }, async (req, reply) => {
    const { username, password } = req.body;
    const wait = limits.login.hit(req.ip);
    if (wait > 0) return reply.code(429).header('retry-after', Math.ceil(wait / 1000)).send(errorBody('request.rateLimited'));
    const userKey = `user:${username}`;
    const ipKey = `ip:${req.ip}`;
    const locked = throttle.retryAfterMs([userKey, ipKey]);
    if (locked > 0) return reply.code(429).header('retry-after', Math.ceil(locked / 1000)).send(errorBody('auth.locked'));
    const analyst = await app.relay.accounts.authenticate(username, password);
    if (!analyst) {
      throttle.fail([userKey]);
      // An office behind one address shares it: the per-address lock needs four times the failures.
      throttle.fail([ipKey], config.loginFailuresBeforeLock * 4);
      req.log.info({ event: 'login.failed' }, 'failed sign-in');
      return reply.code(401).send(errorBody('auth.invalidCredentials'));
    }
    throttle.succeed([userKey]);
    const sessionId = await app.relay.logins.open(analyst.id);
    reply.setCookie(LOGIN_COOKIE, sessionId, {
      path: '/',
      httpOnly: true,
      sameSite: 'strict',
      secure: req.protocol === 'https',
      maxAge: Math.floor(app.relay.config.loginTtlMs / 1000),
    });
    return signedIn(analyst);
  });

  app.post('/api/logout', { schema: { response: { 200: SignedOut } } }, async (req, reply) => {
    await app.relay.logins.close(req.cookies[LOGIN_COOKIE]);
    reply.clearCookie(LOGIN_COOKIE, { path: '/' });
    return { ok: true as const };
  });

  app.get('/api/me', { schema: { response: { 200: SignedInAnalyst, '4xx': ErrorBody } } }, async (req, reply) => {
    const analyst = await analystOf(app, req);
    if (!analyst) return reply.code(401).send(errorBody('auth.required'));
    return signedIn(analyst);
  });
}
