import { mayRelaySignals } from '../../session-machine.js';
import type { Handler } from './context.js';

/** The analyst reports whether media flows direct or through TURN; only counted, never stored per person. */
export const sessionRoute: Handler<'session.route'> = ({ conn, store, metrics }, frame) => {
  const ticket = conn.ticketId ? store.get(conn.ticketId) : undefined;
  if (!ticket || ticket.analyst?.connectionId !== conn.id || !mayRelaySignals(ticket.state)) {
    return conn.sendError('session.notActive', frame.type);
  }
  metrics.countRoute(ticket.id, frame.route);
};
