import type { FastifyInstance } from 'fastify';
import { timingSafeEqual } from 'node:crypto';
import { errorBody } from '../../protocol/index.js';
import { bearerToken } from './tickets.js';

function sameSecret(a: string, b: string): boolean {
  const [x, y] = [Buffer.from(a), Buffer.from(b)];
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Prometheus scrape endpoint; behind METRICS_TOKEN when ops set one. */
export async function metricsRoutes(app: FastifyInstance): Promise<void> {
  const { metrics, config } = app.relay;
  app.get('/metrics', async (req, reply) => {
    if (config.metricsToken && !sameSecret(bearerToken(req) ?? '', config.metricsToken)) {
      return reply.code(401).send(errorBody('auth.required'));
    }
    reply.type(metrics.registry.contentType);
    return metrics.registry.metrics();
  });
}
