import type { FastifyInstance } from 'fastify';
import fastifyStatic from '@fastify/static';
import { existsSync } from 'node:fs';

// Pages load only our own bundled scripts and styles; media come from WebRTC (blob:/mediastream).
const CSP = [
  "default-src 'self'",
  // No eval of any kind, not even WebAssembly compilation: file hashing uses WebCrypto.
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob: mediastream:",
  "connect-src 'self' ws: wss:",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

export async function pageRoutes(app: FastifyInstance): Promise<void> {
  const root = app.relay.config.webRoot;
  if (!existsSync(`${root}/customer.html`)) {
    throw new Error(`The web bundle is missing in ${root}. Run "npm run build" first (npm start does it for you).`);
  }
  await app.register(fastifyStatic, { root, prefix: '/assets/', index: false });

  app.addHook('onSend', async (_req, reply, payload) => {
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Referrer-Policy', 'no-referrer');
    reply.header('X-Frame-Options', 'DENY');
    reply.header('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), display-capture=(self)');
    if (String(reply.getHeader('content-type') ?? '').startsWith('text/html')) {
      reply.header('Content-Security-Policy', CSP);
      reply.header('Cache-Control', 'no-store');
    }
    return payload;
  });

  const page = (file: string) => async (_req: unknown, reply: import('fastify').FastifyReply) =>
    reply.type('text/html; charset=utf-8').sendFile(file);
  app.get('/', page('customer.html'));
  app.get('/s/:token', page('customer.html'));
  app.get('/analyst', page('analyst.html'));
  app.get('/favicon.ico', async (_req, reply) => reply.redirect('/assets/favicon.svg', 301));
}
