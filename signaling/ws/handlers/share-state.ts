import type { Handler } from './context.js';

/** Customer started or stopped sharing their screen: consented ⇄ live. */
export const shareState: Handler<'share.state'> = async ({ conn, store }, frame) => {
  const ticket = conn.ticketId ? store.get(conn.ticketId) : undefined;
  if (!ticket) return conn.sendError('ticket.notFound', frame.type);
  const result = await store.apply(ticket.id, frame.sharing ? 'shareStart' : 'shareStop');
  if (!result.ok) conn.sendError(result.code, frame.type);
};
