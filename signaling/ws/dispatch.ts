import { Compile } from 'typebox/compile';
import { CLOSE_CODES, ClientFrame, FRAME_ROLES, LIMITS, type ErrorCode } from '../../protocol/index.js';
import type { HandlerContext } from './handlers/context.js';
import { HANDLERS } from './handlers/index.js';

const checkFrame = Compile(ClientFrame);

/** After this many refused frames on one socket, it is closed as a protocol violation. */
export const MAX_INVALID_FRAMES = 20;

/**
 * Parses, validates, authorises and dispatches one incoming frame. A bad frame gets a typed error and
 * changes nothing; a client that keeps sending bad frames is disconnected.
 */
export function dispatchFrame(ctx: HandlerContext, raw: Buffer, isBinary: boolean): void | Promise<void> {
  const { conn } = ctx;
  const refuse = (code: ErrorCode, ref?: string) => {
    conn.sendError(code, ref);
    conn.invalidFrames += 1;
    if (conn.invalidFrames >= MAX_INVALID_FRAMES) conn.close(CLOSE_CODES.protocolViolation, 'too many invalid frames');
  };
  // A flood is refused before any parsing work is spent on it.
  if (!conn.bucket.take()) return refuse('frame.rateLimited');
  if (isBinary) return refuse('frame.invalid');
  if (raw.length > LIMITS.frameMaxBytes) return refuse('frame.tooLarge');
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString('utf8'));
  } catch {
    return refuse('frame.invalidJson');
  }
  const ref = typeof (parsed as { type?: unknown })?.type === 'string' ? String((parsed as { type: string }).type).slice(0, 64) : undefined;
  if (!checkFrame.Check(parsed)) return refuse('frame.invalid', ref);
  const frame = parsed as ClientFrame;
  if (!FRAME_ROLES[frame.type].includes(conn.role)) return refuse('frame.forbidden', ref);
  const handler = HANDLERS[frame.type] as (c: HandlerContext, f: ClientFrame) => void | Promise<void>;
  // Synchronous handlers (the relay, the hot path) return nothing: no promise is made for them.
  return handler(ctx, frame);
}

