import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { QueueList } from '../../protocol/index.js';

export async function queueRoutes(instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  const { config, store } = app.relay;
  app.get('/api/queues', { schema: { response: { 200: QueueList } } }, async () =>
    config.queues.map(({ id, name }) => ({ id, name, full: store.waitingIn(id).length >= config.waitingPerQueueMax })),
  );
}
