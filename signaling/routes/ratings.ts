import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import { Type } from 'typebox';
import { checkRatingComment, errorBody, ErrorBody, RatingBody } from '../../protocol/index.js';

export async function ratingRoutes(instance: FastifyInstance): Promise<void> {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  const { ratings, metrics, hub } = app.relay;

  // The customer rates the session that just ended. The score is counted (/metrics) and goes to
  // the analyst's console with the comment; neither is written anywhere on the server.
  app.post('/api/ratings', { schema: { body: RatingBody, response: { 204: Type.Null(), '4xx': ErrorBody } } }, async (req, reply) => {
    const comment = req.body.comment?.trim() ?? '';
    // Checked before the slot is spent: a customer told to shorten the comment may send again.
    const refusal = checkRatingComment(comment);
    if (refusal) return reply.code(400).send(errorBody(refusal));
    const slot = await ratings.take(req.body.token);
    if (!slot) return reply.code(404).send(errorBody('rating.invalid'));
    metrics.countRating(slot.queue, req.body.score);
    hub.sendTo(slot.analystConnection, { type: 'session.rated', sessionId: slot.sessionId, score: req.body.score, ...(comment ? { comment } : {}) });
    return reply.code(204).send(null);
  });
}
