import { mayRelaySignals } from '../../session-machine.js';
import type { Handler } from './context.js';

/**
 * Relays an offer, answer or ICE candidate to the other member, and only to them, on whichever
 * node they are. The payload is opaque; the sender is stamped from the connection, never taken
 * from the frame.
 */
export const signal: Handler<'signal'> = ({ conn, store, hub }, frame) => {
  const ticket = conn.ticketId ? store.get(conn.ticketId) : undefined;
  if (!ticket) return conn.sendError('session.notActive', frame.type);
  const isMember = conn.role === 'customer' ? ticket.customerConnection === conn.id : ticket.analyst?.connectionId === conn.id;
  if (!isMember) return conn.sendError('session.notMember', frame.type);
  if (!mayRelaySignals(ticket.state)) return conn.sendError('session.notActive', frame.type);
  // FRAME_ROLES admits only the two members here, never the helper.
  const from = conn.role === 'customer' ? 'customer' : 'analyst';
  hub.sendTo(from === 'customer' ? ticket.analyst?.connectionId : ticket.customerConnection, { type: 'signal', from, ...(frame.link === undefined ? {} : { link: frame.link }), data: frame.data });
};
