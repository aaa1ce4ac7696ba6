import type { ClientFrameType } from '../../../protocol/index.js';
import { analystStatus } from './analyst-status.js';
import { consentReply } from './consent-reply.js';
import type { Handler } from './context.js';
import { helperHello, helperPair, helperSignal } from './helper.js';
import { sessionEnd } from './session-end.js';
import { sessionRoute } from './session-route.js';
import { sessionTransfer } from './session-transfer.js';
import { shareState } from './share-state.js';
import { signal } from './signal.js';
import { ticketCancel } from './ticket-cancel.js';
import { ticketTake } from './ticket-take.js';

/** One handler per client frame type. */
export const HANDLERS: { [T in ClientFrameType]: Handler<T> } = {
  'ticket.take': ticketTake,
  'analyst.status': analystStatus,
  'ticket.cancel': ticketCancel,
  'consent.reply': consentReply,
  'share.state': shareState,
  'session.route': sessionRoute,
  'session.end': sessionEnd,
  'session.transfer': sessionTransfer,
  signal,
  'helper.pair': helperPair,
  'helper.hello': helperHello,
  'helper.signal': helperSignal,
};
