import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { ErrorBody, errorBody, SignedInAnalyst, TotpCodeBody, TotpEnabled, TotpSetup, TotpStartBody } from '../../protocol/index.js';
import { accountOf, checkPassword, refuse, renewSignIn, signedIn } from './auth.js';

/**
 * Two-step sign-in, set up by each analyst for their own account (auth/totp.ts): start with the
 * password (a new secret, shown once as a QR code), confirm with the app's first code (ten recovery
 * codes, shown once), turn off with a code. Each change ends the account's other sign-ins; this
 * browser gets a fresh one.
 */
export async function totpRoutes(instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  const { accounts, throttle, usedCodes, config } = app.relay;
  const claim = (key: string, ttl: number) => usedCodes.claim(key, ttl);
  /** Codes typed into a signed-in console are limited like sign-ins: a stolen cookie cannot try them all. */
  const codeKey = (id: string) => ({ key: `code:${id}`, limit: config.loginFailuresBeforeLock });

  app.post('/api/me/totp', { schema: { body: TotpStartBody, response: { 200: TotpSetup, '4xx': ErrorBody, '5xx': ErrorBody } } }, async (req, reply) => {
    const me = await accountOf(app, req);
    if (!me) return reply.code(401).send(errorBody('auth.required'));
    const check = await checkPassword(app, req, me.username, req.body.password);
    if (!check.ok) return refuse(reply, check);
    await throttle.succeed([check.user.key]);
    const started = await accounts.startTotp(me.id, config.totpIssuer);
    if (!started.ok) return reply.code(409).send(errorBody(started.code));
    req.log.info({ event: 'totp.started', account: me.id }, 'two-step set-up started');
    return { secret: started.secret, uri: started.uri, expiresAt: started.expiresAt };
  });

  app.post('/api/me/totp/confirm', { schema: { body: TotpCodeBody, response: { 200: TotpEnabled, '4xx': ErrorBody } } }, async (req, reply) => {
    const me = await accountOf(app, req);
    if (!me) return reply.code(401).send(errorBody('auth.required'));
    const locked = await throttle.begin([codeKey(me.id)]);
    if (locked > 0) return refuse(reply, { status: 429, code: 'auth.locked', retryAfterS: Math.ceil(locked / 1000) });
    const confirmed = await accounts.confirmTotp(me.id, req.body.code, claim);
    if (!confirmed.ok) return reply.code(confirmed.code === 'totp.codeInvalid' ? 400 : 409).send(errorBody(confirmed.code));
    await throttle.succeed([codeKey(me.id).key]);
    await renewSignIn(app, req, reply, accounts.byId(me.id)!);
    req.log.info({ event: 'totp.enabled', account: me.id }, 'two-step sign-in on');
    return { recoveryCodes: confirmed.recoveryCodes };
  });

  app.delete('/api/me/totp', { schema: { body: TotpCodeBody, response: { 200: SignedInAnalyst, '4xx': ErrorBody } } }, async (req, reply) => {
    const me = await accountOf(app, req);
    if (!me) return reply.code(401).send(errorBody('auth.required'));
    if (!me.totp) return reply.code(409).send(errorBody('totp.notStarted'));
    const locked = await throttle.begin([codeKey(me.id)]);
    if (locked > 0) return refuse(reply, { status: 429, code: 'auth.locked', retryAfterS: Math.ceil(locked / 1000) });
    if ((await accounts.secondFactor(me.id, req.body.code, claim)) !== 'ok') return reply.code(400).send(errorBody('auth.codeInvalid'));
    await throttle.succeed([codeKey(me.id).key]);
    const off = await accounts.disableTotp(me.id);
    if (!off.ok) return reply.code(403).send(errorBody(off.code));
    const now = accounts.byId(me.id)!;
    await renewSignIn(app, req, reply, now);
    req.log.info({ event: 'totp.disabled', account: me.id }, 'two-step sign-in off');
    return signedIn(now);
  });
}
