import type { Handler } from './context.js';

/** Analyst takes a waiting ticket. The store decides atomically; the loser is told and the ticket leaves their list. */
export const ticketTake: Handler<'ticket.take'> = async ({ conn, store }, frame) => {
  if (conn.ticketId && store.get(conn.ticketId)) return conn.sendError('session.busy', frame.type);
  const ticket = store.get(frame.ticketId);
  if (!ticket) {
    conn.send({ type: 'queue.ticketRemoved', ticketId: frame.ticketId, reason: 'ended' });
    return conn.sendError('ticket.notFound', frame.type);
  }
  const analyst = conn.analyst!;
  if (!analyst.queues.includes(ticket.queue)) return conn.sendError('ticket.notInYourQueues', frame.type);
  const result = await store.take(ticket.id, { id: analyst.id, name: analyst.displayName, connectionId: conn.id });
  if (!result.ok) {
    if (result.code === 'ticket.alreadyTaken') conn.send({ type: 'queue.ticketRemoved', ticketId: ticket.id, reason: 'taken' });
    conn.sendError(result.code, frame.type);
  }
  // On success the hub sends session.started to this connection (it reacts to the store's change).
};
