import { Type, type Static } from 'typebox';
import { Id, SessionState } from './common.js';

// Supervisor family: the live view of the whole support center (GET /api/supervisor, admins).
// Never a session's content, never a customer's name or contact: queues, analysts, timings, routes.

export const SupervisorQueue = Type.Object(
  {
    id: Id,
    name: Type.String(),
    waiting: Type.Integer({ minimum: 0 }),
    /** How long the oldest waiting request has waited (ms); null when no one waits. */
    longestWaitMs: Type.Union([Type.Number(), Type.Null()]),
    open: Type.Boolean(),
    online: Type.Integer({ minimum: 0 }),
    available: Type.Integer({ minimum: 0 }),
    /** Today so far (since midnight in QUEUE_TIMEZONE, or the node's start): memory only. */
    today: Type.Object(
      { takes: Type.Integer({ minimum: 0 }), sessions: Type.Integer({ minimum: 0 }), medianTimeToTakeMs: Type.Union([Type.Number(), Type.Null()]) },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

export const SupervisorAnalyst = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    /** In a session counts over their own word (available or away). */
    status: Type.Union([Type.Literal('available'), Type.Literal('away'), Type.Literal('inSession')]),
    /** Since when (epoch ms): the status's start, or the session's. */
    since: Type.Number(),
    queues: Type.Array(Id),
  },
  { additionalProperties: false },
);

export const SupervisorSession = Type.Object(
  {
    id: Id,
    queue: Id,
    analystName: Type.String(),
    state: SessionState,
    /** When the analyst took it (epoch ms). */
    since: Type.Number(),
    /** The media route the analyst's page measured: direct (host/srflx) or relay (TURN); null until known. */
    route: Type.Union([Type.Literal('direct'), Type.Literal('relay'), Type.Null()]),
  },
  { additionalProperties: false },
);

export const SupervisorView = Type.Object(
  {
    serverTime: Type.Number(),
    queues: Type.Array(SupervisorQueue),
    analysts: Type.Array(SupervisorAnalyst),
    sessions: Type.Array(SupervisorSession),
  },
  { additionalProperties: false },
);
export type SupervisorView = Static<typeof SupervisorView>;

/** GET /api/analyst/colleagues: the other analysts with a console open, for a hand-over. */
export const Colleagues = Type.Array(Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    status: Type.Union([Type.Literal('available'), Type.Literal('away'), Type.Literal('inSession')]),
    queues: Type.Array(Id),
  },
  { additionalProperties: false },
));
export type Colleagues = Static<typeof Colleagues>;
