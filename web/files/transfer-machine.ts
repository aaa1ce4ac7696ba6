// The life of one file transfer, as a table: the states, the moves allowed from each, and one
// transition() that refuses anything else. No DOM types: unit-tested in Node.
//
//   offered ──accept──▶ accepted ──start──▶ transferring ──complete──▶ verifying ──verified──▶ done
//      │                   │ (an empty file: complete)                     └──────mismatch──▶ mismatch
//      └──decline──▶ declined        any state before the end ──cancel──▶ cancelled, ──fail──▶ failed

export type TransferState = 'offered' | 'accepted' | 'transferring' | 'verifying' | 'done' | 'declined' | 'cancelled' | 'failed' | 'mismatch';

export type TransferMove = 'accept' | 'decline' | 'start' | 'complete' | 'verified' | 'mismatch' | 'cancel' | 'fail';

const UNTIL_THE_END = { cancel: 'cancelled', fail: 'failed' } as const;

const MOVES: Record<TransferState, Partial<Record<TransferMove, TransferState>>> = {
  offered: { accept: 'accepted', decline: 'declined', ...UNTIL_THE_END },
  accepted: { start: 'transferring', complete: 'verifying', ...UNTIL_THE_END },
  transferring: { complete: 'verifying', ...UNTIL_THE_END },
  verifying: { verified: 'done', mismatch: 'mismatch', ...UNTIL_THE_END },
  done: {},
  declined: {},
  cancelled: {},
  failed: {},
  mismatch: {},
};

/** The state after `move`, or null when `move` is not allowed in `state`. */
export function transition(state: TransferState, move: TransferMove): TransferState | null {
  return MOVES[state][move] ?? null;
}

/** A transfer that can no longer change. */
export const isFinal = (state: TransferState): boolean => Object.keys(MOVES[state]).length === 0;

/** Bytes may flow (sent or received). */
export const isMoving = (state: TransferState): boolean => state === 'accepted' || state === 'transferring';
