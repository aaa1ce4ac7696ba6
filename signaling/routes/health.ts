import type { FastifyInstance } from 'fastify';

export async function healthRoutes(app: FastifyInstance): Promise<void> {
  // Liveness: the process answers.
  app.get('/healthz', async () => ({ status: 'ok' }));
  // Readiness: stop sending new users here once shutdown has begun.
  app.get('/readyz', async (_req, reply) => {
    if (app.relay.shuttingDown) return reply.code(503).send({ status: 'shutting-down' });
    return { status: 'ready' };
  });
}
