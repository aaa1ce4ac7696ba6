import type { FastifyInstance } from 'fastify';

export async function healthRoutes(app: FastifyInstance): Promise<void> {
  // Liveness: the process answers.
  app.get('/healthz', async () => ({ status: 'ok' }));
  // Readiness: stop sending new users here once shutdown has begun, or while the shared store is
  // out of reach (this node could not see or change any ticket).
  app.get('/readyz', async (_req, reply) => {
    if (app.relay.shuttingDown) return reply.code(503).send({ status: 'shutting-down' });
    if (!app.relay.storeReachable()) return reply.code(503).send({ status: 'store-unreachable' });
    return { status: 'ready' };
  });
}
