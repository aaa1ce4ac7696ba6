import type { FastifyInstance } from 'fastify';

export async function queueRoutes(app: FastifyInstance): Promise<void> {
  app.get('/api/queues', async () => app.relay.config.queues.map(({ id, name }) => ({ id, name })));
}
