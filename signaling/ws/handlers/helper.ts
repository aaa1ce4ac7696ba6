import { mayRelaySignals } from '../../session-machine.js';
import type { Handler } from './context.js';

// The remote-control helper: pairing, its hello, and the SDP/ICE it exchanges with the customer's
// page. Only the customer of a consented session may pair, and each side reaches only the other.

/** Customer asks for a pairing code. */
export const helperPair: Handler<'helper.pair'> = async ({ conn, store, pairing, hub }, frame) => {
  const ticket = conn.ticketId ? store.get(conn.ticketId) : undefined;
  if (!ticket || ticket.customerConnection !== conn.id || !mayRelaySignals(ticket.state)) return conn.sendError('session.notActive', frame.type);
  if (frame.drop && ticket.helperConnection) hub.dropHelper(ticket.helperConnection);
  conn.send({ type: 'helper.code', ...(await pairing.issue(ticket.id)) });
};

/** The helper says what it runs on; the customer's page learns it is connected. */
export const helperHello: Handler<'helper.hello'> = ({ conn, store, hub }, frame) => {
  const ticket = conn.ticketId ? store.get(conn.ticketId) : undefined;
  if (!ticket || ticket.helperConnection !== conn.id) return conn.sendError('session.notActive', frame.type);
  hub.sendTo(ticket.customerConnection, { type: 'helper.status', connected: true, platform: frame.platform, screen: frame.screen });
};

/** Relays the page ⇄ helper SDP/ICE, opaque, between the two ends of one ticket only. */
export const helperSignal: Handler<'helper.signal'> = ({ conn, store, hub }, frame) => {
  const ticket = conn.ticketId ? store.get(conn.ticketId) : undefined;
  if (!ticket) return conn.sendError('session.notActive', frame.type);
  if (conn.role === 'customer') {
    if (ticket.customerConnection !== conn.id) return conn.sendError('session.notMember', frame.type);
    if (!ticket.helperConnection) return conn.sendError('helper.notConnected', frame.type);
    return hub.sendTo(ticket.helperConnection, { type: 'helper.signal', data: frame.data });
  }
  if (ticket.helperConnection !== conn.id) return conn.sendError('session.notMember', frame.type);
  hub.sendTo(ticket.customerConnection, { type: 'helper.signal', data: frame.data });
};
