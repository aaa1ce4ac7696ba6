import { Type, type Static } from 'typebox';
import { ErrorCode, ERRORS } from './errors.js';
import { QueueChanges, QueueSnapshot, QueueTicketRemoved, QueueTicketUpserted, TicketTake } from './queue.js';
import { ConsentReply, SessionEnd, SessionIce, SessionPresence, SessionRated, SessionRoute, SessionStarted, SessionTransfer, SessionStateFrame, ShareState } from './session.js';
import { SignalRelay, SignalSend } from './signal.js';
import { HelperCode, HelperHello, HelperPair, HelperSignal, HelperStatus } from './helper.js';
import { TicketCancel, TicketStatus } from './ticket.js';
import { AnalystStatusFrame, QueueTeam } from './team.js';

export * from './accounts.js';
export * from './common.js';
export * from './peer.js';
export * from './errors.js';
export * from './helper.js';
export * from './input.js';
export * from './queue.js';
export * from './session.js';
export * from './signal.js';
export * from './team.js';
export * from './supervisor.js';
export * from './ticket.js';
export * from './validate-fields.js';

const ErrorCodeSchema = Type.Enum(Object.keys(ERRORS) as ErrorCode[]);

/** Server → client: something the client sent was refused. `ref` names the frame type it answers. */
export const ErrorFrame = Type.Object(
  {
    type: Type.Literal('error'),
    code: ErrorCodeSchema,
    message: Type.String(),
    ref: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);
export type ErrorFrame = Omit<Static<typeof ErrorFrame>, 'code'> & { code: ErrorCode };

/** Every frame a browser may send. The server validates each against this union. */
export const ClientFrame = Type.Union([TicketTake, AnalystStatusFrame, TicketCancel, ConsentReply, ShareState, SessionRoute, SessionEnd, SessionTransfer, SignalSend, HelperPair, HelperHello, HelperSignal]);
export type ClientFrame = Static<typeof ClientFrame>;
export type ClientFrameType = ClientFrame['type'];

/** Every frame the server sends. */
export const ServerFrame = Type.Union([
  QueueSnapshot,
  QueueTicketUpserted,
  QueueTicketRemoved,
  QueueChanges,
  QueueTeam,
  TicketStatus,
  SessionStarted,
  SessionStateFrame,
  SessionPresence,
  SessionIce,
  SessionRated,
  SignalRelay,
  HelperCode,
  HelperStatus,
  HelperSignal,
  ErrorFrame,
]);
export type ServerFrame = Exclude<Static<typeof ServerFrame>, { type: 'error' }> | ErrorFrame;

/** Picks one member of a frame union by its `type`. */
export type FrameOf<U, T> = Extract<U, { type: T }>;

/** Who is on the other end of a WebSocket: the two session members, or a customer's helper. */
export type ConnectionRole = 'customer' | 'analyst' | 'helper';

/** Which role may send which client frame. */
export const FRAME_ROLES: Record<ClientFrameType, ReadonlyArray<ConnectionRole>> = {
  'ticket.take': ['analyst'],
  'analyst.status': ['analyst'],
  'ticket.cancel': ['customer'],
  'consent.reply': ['customer'],
  'share.state': ['customer'],
  'session.route': ['analyst'],
  'session.end': ['customer', 'analyst'],
  'session.transfer': ['analyst'],
  signal: ['customer', 'analyst'],
  'helper.pair': ['customer'],
  'helper.hello': ['helper'],
  'helper.signal': ['customer', 'helper'],
};

export const WS_PATH = '/ws';
