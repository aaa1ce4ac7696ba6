import type { ClientFrame, ClientFrameType, FrameOf } from '../../../protocol/index.js';
import type { Hub } from '../../hub.js';
import type { Metrics } from '../../metrics.js';
import type { HelperPairing } from '../../helper-pairing.js';
import type { TicketStore } from '../../store/ticket-store.js';
import type { Connection } from '../connection.js';

export interface HandlerContext {
  conn: Connection;
  store: TicketStore;
  hub: Hub;
  metrics: Metrics;
  pairing: HelperPairing;
}

/**
 * A handler reads what it needs from the store's view, then makes ONE atomic store write (which
 * re-checks the state machine itself), so nothing can change between its check and its write.
 */
export type Handler<T extends ClientFrameType> = (ctx: HandlerContext, frame: FrameOf<ClientFrame, T>) => void | Promise<void>;
