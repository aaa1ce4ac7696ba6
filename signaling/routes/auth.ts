import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ErrorBody, errorBody, LoginBody, SignedInAnalyst, SignedOut, type ErrorCode } from '../../protocol/index.js';
import { refuseOverLimit } from '../rate-limit.js';
import type { Analyst } from '../auth/accounts.js';
import type { ThrottleKey } from '../auth/login-throttle.js';
import { loginCookie } from '../auth/login-sessions.js';
import { addressKey } from '../client-address.js';

/** What the browser learns of the signed-in analyst (protocol's SignedInAnalyst). */
export const signedIn = ({ id, displayName, role, queues, totp, totpSetupRequired }: Analyst): SignedInAnalyst => ({ id, displayName, role, queues, totp, totpSetupRequired });

/**
 * The account behind the login cookie, whatever it may do; null when not signed in or when the
 * sign-in is revoked (the account changed what it grants since). Only for the sign-in's own
 * routes (/api/me, the two-step set-up): everything else asks analystOf().
 */
export async function accountOf(app: FastifyInstance, req: FastifyRequest): Promise<Analyst | null> {
  const signIn = await app.relay.logins.resolve(req.cookies[loginCookie(app.relay.config).name]);
  const analyst = signIn ? app.relay.accounts.byId(signIn.analystId) : undefined;
  return analyst && analyst.generation === signIn!.generation ? analyst : null;
}

/** The signed-in analyst for a request; null when not signed in, revoked, or still to set up the two-step sign-in an admin requires. */
export async function analystOf(app: FastifyInstance, req: FastifyRequest): Promise<Analyst | null> {
  const analyst = await accountOf(app, req);
  return analyst && !analyst.totpSetupRequired ? analyst : null;
}

/** Gives this browser a fresh sign-in at the account's current generation (after a change that ended the others). */
export async function renewSignIn(app: FastifyInstance, req: FastifyRequest, reply: FastifyReply, analyst: Analyst): Promise<void> {
  const cookie = loginCookie(app.relay.config);
  await app.relay.logins.close(req.cookies[cookie.name]);
  const sessionId = await app.relay.logins.open(analyst.id, analyst.generation);
  reply.setCookie(cookie.name, sessionId, {
    path: '/',
    httpOnly: true,
    sameSite: 'strict',
    secure: cookie.alwaysSecure || req.protocol === 'https',
    maxAge: Math.floor(app.relay.config.loginTtlMs / 1000),
  });
}

export type PasswordCheck =
  | { ok: true; analyst: Analyst; user: ThrottleKey; address: ThrottleKey }
  | { ok: false; status: number; code: ErrorCode; retryAfterS?: number };

/**
 * One password attempt for `username`, with the lock-out (login-throttle.ts) and the hash bound
 * (hash-gate.ts). On success the attempt stays counted until the caller calls succeed() on
 * `user.key` (sign-in done) or fails it (a wrong second step).
 */
export async function checkPassword(app: FastifyInstance, req: FastifyRequest, username: string, password: string): Promise<PasswordCheck> {
  const { throttle, config, knownAddresses, hashGate, accounts } = app.relay;
  const from = addressKey(req.ip);
  // From an address where this user signed in before, the owner has a lock of their own: failures
  // from elsewhere cannot keep them out (auth/known-addresses.ts).
  const known = await knownAddresses.has(username, from);
  const user = { key: known ? `user:${username}@${from}` : `user:${username}`, limit: config.loginFailuresBeforeLock };
  // An office behind one address shares it: the per-address lock needs four times the failures.
  const address = { key: `ip:${from}`, limit: config.loginFailuresBeforeLock * 4 };
  // The user name's attempt is counted before the hash: concurrent guesses see each other
  // (login-throttle.ts). The address counts failures only: colleagues behind one address who sign
  // in at the same moment must not lock it for each other.
  const locked = await throttle.begin([user], [address.key]);
  if (locked > 0) return { ok: false, status: 429, code: 'auth.locked', retryAfterS: Math.ceil(locked / 1000) };
  // Bounded: hashes share libuv's threads with the static files (auth/hash-gate.ts).
  const checked = await hashGate.run(async () => ({ analyst: await accounts.authenticate(username, password) }));
  if (!checked) {
    await throttle.forgive([user]); // refused unchecked: not a guess
    return { ok: false, status: 503, code: 'auth.busy', retryAfterS: 2 };
  }
  if (!checked.analyst) {
    await throttle.fail([address]);
    req.log.info({ event: 'login.failed' }, 'failed sign-in');
    return { ok: false, status: 401, code: 'auth.invalidCredentials' };
  }
  return { ok: true, analyst: checked.analyst, user, address };
}

export function refuse(reply: FastifyReply, refusal: { status: number; code: ErrorCode; retryAfterS?: number }) {
  if (refusal.retryAfterS !== undefined) reply.header('retry-after', refusal.retryAfterS);
  return reply.code(refusal.status).send(errorBody(refusal.code));
}

export async function authRoutes(instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  const { throttle, limits, config, accounts, usedCodes } = app.relay;
  const cookie = loginCookie(config);
  app.post('/api/login', { schema: { body: LoginBody, response: { 200: SignedInAnalyst, '4xx': ErrorBody, '5xx': ErrorBody } } }, async (req, reply) => {
    const { username, password, code } = req.body;
    const wait = await limits.login(req);
    if (wait > 0) return refuseOverLimit(reply, wait);
    const check = await checkPassword(app, req, username, password);
    if (!check.ok) return refuse(reply, check);
    // Two-step sign-in: the password alone does not sign in; the attempt stays counted (a right
    // password with no or a wrong code is a failure for the lock-out, until a full success).
    const second = await accounts.secondFactor(check.analyst.id, code, (key, ttl) => usedCodes.claim(key, ttl));
    if (second === 'missing') return reply.code(401).send(errorBody('auth.codeRequired'));
    if (second === 'wrong') {
      await throttle.fail([check.address]);
      req.log.info({ event: 'login.codeFailed' }, 'wrong two-step code');
      return reply.code(401).send(errorBody('auth.codeInvalid'));
    }
    await throttle.succeed([check.user.key]);
    await app.relay.knownAddresses.remember(username, addressKey(req.ip));
    await renewSignIn(app, req, reply, check.analyst);
    return signedIn(check.analyst);
  });

  app.post('/api/logout', { schema: { response: { 200: SignedOut } } }, async (req, reply) => {
    await app.relay.logins.close(req.cookies[cookie.name]);
    reply.clearCookie(cookie.name, { path: '/', secure: cookie.alwaysSecure });
    return { ok: true as const };
  });

  // Also for a sign-in that must first set up two-step sign-in: the page shows the set-up then.
  app.get('/api/me', { schema: { response: { 200: SignedInAnalyst, '4xx': ErrorBody } } }, async (req, reply) => {
    const analyst = await accountOf(app, req);
    if (!analyst) return reply.code(401).send(errorBody('auth.required'));
    return signedIn(analyst);
  });
}
