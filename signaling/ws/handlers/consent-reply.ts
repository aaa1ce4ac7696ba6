import type { Handler } from './context.js';

/** Customer answers the consent dialog. Refusing ends the request on both sides. */
export const consentReply: Handler<'consent.reply'> = async ({ conn, store }, frame) => {
  const ticket = conn.ticketId ? store.get(conn.ticketId) : undefined;
  if (!ticket) return conn.sendError('ticket.notFound', frame.type);
  if (ticket.state !== 'offered') return conn.sendError('session.invalidTransition', frame.type);
  const result = frame.allow ? await store.apply(ticket.id, 'allow') : await store.apply(ticket.id, 'refuse', 'refused');
  if (!result.ok) conn.sendError(result.code, frame.type);
};
