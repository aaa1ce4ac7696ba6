import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { QueueList } from '../../protocol/index.js';

export async function queueRoutes(instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  const { config, store, outlook } = app.relay;
  app.get('/api/queues', { schema: { response: { 200: QueueList } } }, async () =>
    config.queues.map(({ id, name }) => {
      const waiting = store.waitingIn(id).length;
      // A request made now would wait at the end of the line.
      return { id, name, full: waiting >= config.waitingPerQueueMax, outlook: outlook.outlook(id, waiting + 1) };
    }),
  );
}
