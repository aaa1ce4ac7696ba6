import { isWaiting } from '../../session-machine.js';
import type { Handler } from './context.js';

/** Customer leaves the queue before anyone took the ticket. */
export const ticketCancel: Handler<'ticket.cancel'> = async ({ conn, store }, frame) => {
  const ticket = conn.ticketId ? store.get(conn.ticketId) : undefined;
  if (!ticket) return conn.sendError('ticket.notFound', frame.type);
  if (!isWaiting(ticket.state)) return conn.sendError('session.invalidTransition', frame.type);
  const result = await store.apply(ticket.id, 'end', 'cancelled');
  if (!result.ok) conn.sendError(result.code, frame.type);
};
