import { Type, type Static } from 'typebox';
import { Id } from './common.js';

// Team family: the analysts' own availability, and how many of them each queue has.

/** An analyst's own word on whether they take requests now. In a session, an available analyst is busy. */
export const AnalystStatus = Type.Union([Type.Literal('available'), Type.Literal('away')]);
export type AnalystStatus = Static<typeof AnalystStatus>;

/** Analyst → server: I am available / away (every console of the analyst follows). */
export const AnalystStatusFrame = Type.Object(
  { type: Type.Literal('analyst.status'), status: AnalystStatus },
  { additionalProperties: false },
);

/** One queue's team now, across every signaling node. */
export const QueueTeamEntry = Type.Object(
  {
    queue: Id,
    /** Analysts of the queue with a console open. */
    online: Type.Integer({ minimum: 0 }),
    /** Of them, the ones available and not in a session: who could take the next request. */
    available: Type.Integer({ minimum: 0 }),
  },
  { additionalProperties: false },
);
export type QueueTeamEntry = Static<typeof QueueTeamEntry>;

/** Server → analyst: their own status as the server holds it, and each of their queues' team (on connect and on every change). */
export const QueueTeam = Type.Object(
  { type: Type.Literal('queue.team'), status: AnalystStatus, queues: Type.Array(QueueTeamEntry) },
  { additionalProperties: false },
);
export type QueueTeam = Static<typeof QueueTeam>;
