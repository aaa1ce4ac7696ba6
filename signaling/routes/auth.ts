import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ErrorBody, errorBody, LoginBody, SignedInAnalyst, SignedOut } from '../../protocol/index.js';
import type { Analyst } from '../auth/accounts.js';
import { loginCookie } from '../auth/login-sessions.js';
import { addressKey } from '../client-address.js';

/** What the browser learns of the signed-in analyst (protocol's SignedInAnalyst). */
const signedIn = ({ id, displayName, role, queues }: Analyst): SignedInAnalyst => ({ id, displayName, role, queues });

/** The signed-in analyst for a request, from the login cookie; null once the account changed what it grants (revoked). */
export async function analystOf(app: FastifyInstance, req: FastifyRequest): Promise<Analyst | null> {
  const signIn = await app.relay.logins.resolve(req.cookies[loginCookie(app.relay.config).name]);
  const analyst = signIn ? app.relay.accounts.byId(signIn.analystId) : undefined;
  return analyst && analyst.generation === signIn!.generation ? analyst : null;
}

export async function authRoutes(instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  const { throttle, limits, config } = app.relay;
  const cookie = loginCookie(config);
  app.post('/api/login', { schema: { body: LoginBody, response: { 200: SignedInAnalyst, '4xx': ErrorBody, '5xx': ErrorBody } } }, async (req, reply) => {
    const { username, password } = req.body;
    const from = addressKey(req.ip);
    const wait = await limits.login(req);
    if (wait > 0) return reply.code(429).header('retry-after', Math.ceil(wait / 1000)).send(errorBody('request.rateLimited'));
    // From an address where this user signed in before, the owner has a lock of their own: failures
    // from elsewhere cannot keep them out (auth/known-addresses.ts).
    const known = await app.relay.knownAddresses.has(username, from);
    const user = { key: known ? `user:${username}@${from}` : `user:${username}`, limit: config.loginFailuresBeforeLock };
    // An office behind one address shares it: the per-address lock needs four times the failures.
    const address = { key: `ip:${from}`, limit: config.loginFailuresBeforeLock * 4 };
    // The user name's attempt is counted before the hash: concurrent guesses see each other
    // (login-throttle.ts). The address counts failures only: colleagues behind one address who sign
    // in at the same moment must not lock it for each other.
    const locked = await throttle.begin([user], [address.key]);
    if (locked > 0) return reply.code(429).header('retry-after', Math.ceil(locked / 1000)).send(errorBody('auth.locked'));
    // Bounded: hashes share libuv's threads with the static files (auth/hash-gate.ts).
    const checked = await app.relay.hashGate.run(async () => ({ analyst: await app.relay.accounts.authenticate(username, password) }));
    if (!checked) {
      await throttle.forgive([user]); // refused unchecked: not a guess
      return reply.code(503).header('retry-after', 2).send(errorBody('auth.busy'));
    }
    const analyst = checked.analyst;
    if (!analyst) {
      await throttle.fail([address]);
      req.log.info({ event: 'login.failed' }, 'failed sign-in');
      return reply.code(401).send(errorBody('auth.invalidCredentials'));
    }
    await throttle.succeed([user.key]);
    await app.relay.knownAddresses.remember(username, from);
    const sessionId = await app.relay.logins.open(analyst.id, analyst.generation);
    reply.setCookie(cookie.name, sessionId, {
      path: '/',
      httpOnly: true,
      sameSite: 'strict',
      secure: cookie.alwaysSecure || req.protocol === 'https',
      maxAge: Math.floor(app.relay.config.loginTtlMs / 1000),
    });
    return signedIn(analyst);
  });

  app.post('/api/logout', { schema: { response: { 200: SignedOut } } }, async (req, reply) => {
    await app.relay.logins.close(req.cookies[cookie.name]);
    reply.clearCookie(cookie.name, { path: '/', secure: cookie.alwaysSecure });
    return { ok: true as const };
  });

  app.get('/api/me', { schema: { response: { 200: SignedInAnalyst, '4xx': ErrorBody } } }, async (req, reply) => {
    const analyst = await analystOf(app, req);
    if (!analyst) return reply.code(401).send(errorBody('auth.required'));
    return signedIn(analyst);
  });
}
