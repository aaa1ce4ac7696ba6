import { mayRelaySignals } from '../../session-machine.js';
import type { Handler } from './context.js';

/** The analyst reports whether media flows direct or through TURN; counted, and shown in the supervisor's view while the session lasts. */
export const sessionRoute: Handler<'session.route'> = ({ conn, store, metrics, hub }, frame) => {
  const ticket = conn.ticketId ? store.get(conn.ticketId) : undefined;
  if (!ticket || ticket.analyst?.connectionId !== conn.id || !mayRelaySignals(ticket.state)) {
    return conn.sendError('session.notActive', frame.type);
  }
  metrics.countRoute(ticket.id, frame.route);
  hub.setRoute(conn, frame.route);
};
