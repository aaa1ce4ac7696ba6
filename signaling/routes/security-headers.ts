import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../config.js';

// The security headers, on every response of the app (pages, assets, the API, errors): a hook
// at the root, not inside the pages' plugin, whose hooks would reach only its own routes.

/** Pages load only our own bundled scripts and styles; media come from WebRTC (blob:/mediastream). */
export function contentSecurityPolicy(websocketOrigin: string): string {
  return [
    "default-src 'self'",
    // No eval of any kind, not even WebAssembly compilation: file hashing uses WebCrypto.
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob: mediastream:",
    // WebSockets to this service only (a bare ws:/wss: would let an injected script talk to any host).
    `connect-src 'self' ${websocketOrigin}`,
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "form-action 'self'",
  ].join('; ');
}

/** Where the pages' WebSocket goes: PUBLIC_URL's origin when set, else the host the request came to. */
function websocketOrigin(config: Pick<Config, 'publicUrl'>, req: FastifyRequest): string {
  if (config.publicUrl) {
    const url = new URL(config.publicUrl);
    return `${url.protocol === 'https:' ? 'wss:' : 'ws:'}//${url.host}`;
  }
  return `${req.protocol === 'https' ? 'wss:' : 'ws:'}//${req.host}`;
}

export const securityHeaders = fp(async (app: FastifyInstance, { config }: { config: Pick<Config, 'publicUrl' | 'tls' | 'hstsIncludeSubdomains'> }) => {
  const hsts = `max-age=31536000${config.hstsIncludeSubdomains ? '; includeSubDomains' : ''}`;
  app.addHook('onSend', async (req: FastifyRequest, reply: FastifyReply, payload) => {
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('Referrer-Policy', 'no-referrer');
    reply.header('X-Frame-Options', 'DENY');
    reply.header('Permissions-Policy', 'camera=(), microphone=(), geolocation=(), display-capture=(self)');
    // The server terminates TLS itself: it says so for the next visits (behind a proxy, the proxy does).
    if (config.tls) reply.header('Strict-Transport-Security', hsts);
    const html = String(reply.getHeader('content-type') ?? '').startsWith('text/html');
    if (html) reply.header('Content-Security-Policy', contentSecurityPolicy(websocketOrigin(config, req)));
    // Pages and every API answer (POST /api/tickets returns the customer's token) stay out of caches.
    if (html || req.url.startsWith('/api/')) reply.header('Cache-Control', 'no-store');
    return payload;
  });
});
