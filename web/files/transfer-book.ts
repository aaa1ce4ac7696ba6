import { Emitter } from '../emitter.js';
import { isFinal, transition, type TransferMove, type TransferState } from './transfer-machine.js';

/** `pageReloaded`: it was running when the page was reloaded (session-history.ts). */
export type FailReason = 'peerLeft' | 'connectionLost' | 'sessionEnded' | 'storage' | 'tooLarge' | 'protocol' | 'linkLost' | 'pageReloaded';

/** One transfer as the pages show it. */
export interface Transfer {
  id: string;
  direction: 'out' | 'in';
  name: string;
  /** Received files: the extension of the name as it really reads (what the system will open it with). */
  extension?: string;
  size: number;
  /** The type the sender declared: a claim, not a fact. */
  mime: string;
  state: TransferState;
  bytes: number;
  bytesPerSecond: number;
  secondsLeft: number | null;
  /** While transferring: the connection it travels on has lost its path for now. */
  interrupted?: boolean;
  /** While transferring on a working path: seconds since the last byte moved, once ≥ QUIET_HINT_MS. */
  quietSeconds?: number;
  cancelledBy?: 'me' | 'peer';
  failReason?: FailReason;
  /** The received file, once verified (disk-backed on OPFS). */
  blob?: Blob;
}

export type TransferEvent =
  | { kind: 'offered'; transfer: Transfer }
  | { kind: 'accepted' | 'declined' | 'cancelled' | 'done' | 'mismatch' | 'failed'; transfer: Transfer };

const PROGRESS_EMIT_MS = 200;

/**
 * The transfers of one session connection, sent and received, in the order they were offered:
 * the one owner of their state. Every change of state goes through the transfer machine
 * (transfer-machine.ts), which refuses the moves it does not allow.
 */
export class TransferBook {
  private readonly transfers: Transfer[] = [];
  private readonly byId = new Map<string, Transfer>();
  private readonly events = new Emitter<{ change: []; transfer: [event: TransferEvent]; ended: [transfer: Transfer] }>();
  private lastEmit = 0;

  add(transfer: Transfer): void {
    this.transfers.push(transfer);
    this.byId.set(transfer.id, transfer);
  }

  get(id: string): Transfer | undefined {
    return this.byId.get(id);
  }

  list(): Transfer[] {
    return [...this.transfers];
  }

  onChange(listener: () => void): () => void {
    return this.events.on('change', listener);
  }

  onEvent(listener: (event: TransferEvent) => void): () => void {
    return this.events.on('transfer', listener);
  }

  /** Called once per transfer, when it reaches a final state: what waits on it must stop. */
  onEnded(listener: (transfer: Transfer) => void): () => void {
    return this.events.on('ended', listener);
  }

  /** Moves `transfer` if the machine allows it; false (and nothing changes) if not. */
  move(transfer: Transfer, move: TransferMove): boolean {
    const next = transition(transfer.state, move);
    if (!next) return false;
    transfer.state = next;
    if (next !== 'transferring') {
      transfer.interrupted = false;
      transfer.quietSeconds = undefined;
    }
    if (isFinal(next)) this.events.emit('ended', transfer);
    this.emit(true);
    return true;
  }

  cancel(transfer: Transfer, by: 'me' | 'peer'): void {
    if (isFinal(transfer.state)) return;
    transfer.cancelledBy = by;
    if (this.move(transfer, 'cancel')) this.announce({ kind: 'cancelled', transfer });
  }

  fail(transfer: Transfer, reason: FailReason): void {
    if (isFinal(transfer.state)) return;
    transfer.failReason = reason;
    if (this.move(transfer, 'fail')) this.announce({ kind: 'failed', transfer });
  }

  /** Tells the session tools (activity log) what happened. */
  announce(event: TransferEvent): void {
    this.events.emit('transfer', event);
    this.emit(true);
  }

  /** Progress is throttled for the UI; state changes go out at once (`force`). */
  emit(force = false): void {
    const now = performance.now();
    if (!force && now - this.lastEmit < PROGRESS_EMIT_MS) return;
    this.lastEmit = now;
    this.events.emit('change');
  }
}
