import type { FastifyInstance, FastifyRequest } from 'fastify';
import { Type } from '@sinclair/typebox';
import { errorBody } from '../../protocol/index.js';
import type { Analyst } from '../auth/analysts.js';
import { LOGIN_COOKIE } from '../auth/login-sessions.js';

const LoginBody = Type.Object(
  { username: Type.String({ minLength: 1, maxLength: 100 }), password: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);

/** The signed-in analyst for a request, from the login cookie. */
export function analystOf(app: FastifyInstance, req: FastifyRequest): Analyst | null {
  const analystId = app.relay.logins.resolve(req.cookies[LOGIN_COOKIE]);
  return analystId ? app.relay.directory.byId(analystId) ?? null : null;
}

export async function authRoutes(app: FastifyInstance): Promise<void> {
  app.post('/api/login', { schema: { body: LoginBody } }, async (req, reply) => {
    const { username, password } = req.body as { username: string; password: string };
    const analyst = await app.relay.directory.authenticate(username, password);
    if (!analyst) return reply.code(401).send(errorBody('auth.invalidCredentials'));
    const sessionId = app.relay.logins.open(analyst.id);
    reply.setCookie(LOGIN_COOKIE, sessionId, {
      path: '/',
      httpOnly: true,
      sameSite: 'strict',
      secure: req.protocol === 'https',
      maxAge: Math.floor(app.relay.config.loginTtlMs / 1000),
    });
    return { id: analyst.id, displayName: analyst.displayName, queues: analyst.queues };
  });

  app.post('/api/logout', async (req, reply) => {
    app.relay.logins.close(req.cookies[LOGIN_COOKIE]);
    reply.clearCookie(LOGIN_COOKIE, { path: '/' });
    return { ok: true };
  });

  app.get('/api/me', async (req, reply) => {
    const analyst = analystOf(app, req);
    if (!analyst) return reply.code(401).send(errorBody('auth.required'));
    return { id: analyst.id, displayName: analyst.displayName, queues: analyst.queues };
  });
}
