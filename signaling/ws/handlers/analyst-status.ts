import type { Handler } from './context.js';

/** An analyst is available or away: the queues' teams and the waiting customers' outlooks follow. */
export const analystStatus: Handler<'analyst.status'> = ({ conn, hub }, frame) => {
  hub.setStatus(conn, frame.status);
};
