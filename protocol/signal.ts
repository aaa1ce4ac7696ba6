import { Type } from '@sinclair/typebox';
import { Role } from './common.js';

// Signal family: WebRTC offers, answers and ICE candidates, relayed opaquely between the two
// members of a session. The server never reads `data`; it only checks membership and stamps `from`.

const SignalData = Type.Record(Type.String({ maxLength: 64 }), Type.Unknown());

/** Member → server. */
export const SignalSend = Type.Object(
  { type: Type.Literal('signal'), data: SignalData },
  { additionalProperties: false },
);

/** Server → the other member. `from` is stamped by the server from the connection. */
export const SignalRelay = Type.Object(
  { type: Type.Literal('signal'), from: Role, data: SignalData },
  { additionalProperties: false },
);
