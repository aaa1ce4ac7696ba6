import type { Transfer, TransferBook } from './transfer-book.js';

/** After this long without a byte moving on a working path, a running transfer says so. */
export const QUIET_HINT_MS = 10_000;

/**
 * The stall watch: on a working path, a running transfer through which no byte has moved for
 * QUIET_HINT_MS says so (`quietSeconds`): a file read that hangs (a network share gone), a stack
 * that holds data. It checks every second, and only while some transfer runs.
 */
export class QuietWatch {
  /** When a byte last moved through each running transfer. */
  private readonly movedAt = new Map<string, { transfer: Transfer; at: number }>();
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly book: TransferBook) {}

  /** Bytes moved through `transfer` just now (sent, or received). */
  moved(transfer: Transfer): void {
    this.movedAt.set(transfer.id, { transfer, at: performance.now() });
    if (transfer.quietSeconds !== undefined) {
      transfer.quietSeconds = undefined;
      this.book.emit(true);
    }
    this.timer ??= setInterval(() => this.check(), 1000);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.movedAt.clear();
  }

  private check(): void {
    const now = performance.now();
    let changed = false;
    for (const [id, { transfer, at }] of this.movedAt) {
      if (transfer.state !== 'transferring') {
        this.movedAt.delete(id);
        continue;
      }
      const quiet = now - at >= QUIET_HINT_MS && !transfer.interrupted ? Math.floor((now - at) / 1000) : undefined;
      if (quiet === transfer.quietSeconds) continue;
      transfer.quietSeconds = quiet;
      changed = true;
    }
    if (this.movedAt.size === 0) {
      clearInterval(this.timer);
      this.timer = undefined;
    }
    if (changed) this.book.emit(true);
  }
}
