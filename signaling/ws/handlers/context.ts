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

/** Handlers are synchronous on purpose: no await between reading and writing a record. */
export type Handler<T extends ClientFrameType> = (ctx: HandlerContext, frame: FrameOf<ClientFrame, T>) => void;
