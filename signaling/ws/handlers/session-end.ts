import { isInSession } from '../../session-machine.js';
import type { Handler } from './context.js';

/** Either member hangs up. */
export const sessionEnd: Handler<'session.end'> = async ({ conn, store }, frame) => {
  const ticket = conn.ticketId ? store.get(conn.ticketId) : undefined;
  if (!ticket || !isInSession(ticket.state)) return conn.sendError('session.notActive', frame.type);
  const reason = frame.reason ?? (conn.role === 'customer' ? 'customerEnded' : 'analystEnded');
  const result = await store.apply(ticket.id, 'end', reason);
  if (!result.ok) conn.sendError(result.code, frame.type);
};
