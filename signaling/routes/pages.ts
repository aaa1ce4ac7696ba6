import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import { existsSync } from 'node:fs';

export async function pageRoutes(app: FastifyInstance): Promise<void> {
  const root = app.relay.config.webRoot;
  if (!existsSync(`${root}/customer.html`)) {
    throw new Error(`The web bundle is missing in ${root}. Run "npm run build" first (npm start does it for you).`);
  }
  await app.register(fastifyStatic, { root, prefix: '/assets/', index: false });

  // The security headers (CSP included) come from routes/security-headers.ts, for every response.

  const page = (file: string) => async (_req: unknown, reply: import('fastify').FastifyReply) =>
    reply.type('text/html; charset=utf-8').sendFile(file);
  app.get('/', page('customer.html'));
  app.get('/s/:token', page('customer.html'));
  app.get('/analyst', page('analyst.html'));
  app.get('/favicon.ico', async (_req, reply) => reply.redirect('/assets/favicon.svg', 301));
}
