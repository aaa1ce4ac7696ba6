import { PEER_LIMITS, safeFileName, type PeerMessageOf } from '../../protocol/index.js';
import type { FileRouteName, PeerChannels } from '../session/peer-channels.js';
import { createSink, type FileSink } from './file-sink.js';
import { ACK_EVERY_BYTES } from './flow-window.js';
import type { QuietWatch } from './quiet-watch.js';
import type { SessionFiles } from './session-files.js';
import type { Transfer, TransferBook } from './transfer-book.js';
import { isFinal, isMoving, type TransferState } from './transfer-machine.js';
import { RateMeter } from './transfer-rate.js';

interface Incoming {
  transfer: Transfer;
  handle: number;
  /** Stores and hashes the bytes (file-sink.ts), once accepted. */
  sink: FileSink | null;
  expectedSha: string | null;
  meter: RateMeter;
  ackedSent: number;
  route: FileRouteName | null;
}

/**
 * The files the other side offers: nothing is stored until the person accepts one; then its bytes
 * go to its session's storage (session-files.ts), acknowledged as they arrive, and the file is
 * verified against the sender's digest before it can be saved.
 */
export class IncomingFiles {
  private readonly entries = new Map<string, Incoming>();
  private readonly byHandle = new Map<number, Incoming>();

  constructor(
    private readonly channels: PeerChannels,
    private readonly book: TransferBook,
    private readonly quiet: QuietWatch,
    private readonly files: SessionFiles,
  ) {
    // Partial data of a transfer that ends unfinished (cancelled, failed, mismatch) is deleted.
    book.onEnded((transfer) => {
      const entry = this.entries.get(transfer.id);
      if (entry?.sink && transfer.state !== 'done') void entry.sink.discard();
    });
  }

  has(id: string): boolean {
    return this.entries.has(id);
  }

  routeOf(id: string): FileRouteName | null {
    return this.entries.get(id)?.route ?? null;
  }

  onOffer(message: PeerMessageOf<'file.offer'>): void {
    if (this.entries.has(message.id) || this.byHandle.has(message.handle)) return;
    const open = [...this.entries.values()].filter((e) => e.transfer.state === 'offered').length;
    if (open >= PEER_LIMITS.openOffersMax) return void this.channels.sendControl({ type: 'file.decline', id: message.id });
    // Shown and saved as it really reads: no bidi override can turn "report\u202Efdp.exe" into "reportexe.pdf".
    const { name, extension } = safeFileName(message.name);
    const transfer: Transfer = {
      id: message.id,
      direction: 'in',
      name,
      extension,
      size: message.size,
      mime: message.mime,
      state: 'offered',
      bytes: 0,
      bytesPerSecond: 0,
      secondsLeft: null,
    };
    const entry: Incoming = { transfer, handle: message.handle, sink: null, expectedSha: null, meter: new RateMeter(message.size), ackedSent: 0, route: null };
    this.entries.set(message.id, entry);
    this.byHandle.set(message.handle, entry);
    this.book.add(transfer);
    this.book.announce({ kind: 'offered', transfer });
  }

  /** Accepting is the only way bytes reach this machine: a click in the page calls this. */
  async accept(id: string): Promise<void> {
    const entry = this.entries.get(id);
    if (!entry || entry.transfer.state !== 'offered' || !this.book.move(entry.transfer, 'accept')) return;
    let sink: FileSink;
    try {
      await this.files.ready();
      sink = await createSink(this.files.fileName(entry.transfer.id), entry.transfer.size);
    } catch (err) {
      this.channels.sendControl({ type: 'file.cancel', id });
      return this.book.fail(entry.transfer, (err as Error).message === 'tooLargeForMemory' ? 'tooLarge' : 'storage');
    }
    // The user or the peer may have cancelled while storage was being prepared.
    if ((entry.transfer.state as TransferState) !== 'accepted') return void sink.discard();
    entry.sink = sink;
    sink.onError(() => {
      if (isFinal(entry.transfer.state)) return;
      this.channels.sendControl({ type: 'file.cancel', id });
      this.book.fail(entry.transfer, 'storage');
    });
    this.channels.sendControl({ type: 'file.accept', id });
    this.book.announce({ kind: 'accepted', transfer: entry.transfer });
  }

  decline(id: string): void {
    const entry = this.entries.get(id);
    if (!entry || entry.transfer.state !== 'offered') return;
    this.channels.sendControl({ type: 'file.decline', id });
    if (this.book.move(entry.transfer, 'decline')) this.book.announce({ kind: 'declined', transfer: entry.transfer });
  }

  onChunk(handle: number, chunk: ArrayBuffer, route: FileRouteName): void {
    const entry = this.byHandle.get(handle);
    // Bytes for a file this side did not accept (or already finished) are dropped, never stored.
    if (!entry || !entry.sink) return;
    const { transfer } = entry;
    if (!isMoving(transfer.state)) return;
    const length = chunk.byteLength;
    if (transfer.bytes + length > transfer.size) {
      this.channels.sendControl({ type: 'file.cancel', id: transfer.id });
      return this.book.fail(transfer, 'protocol');
    }
    if (transfer.state === 'accepted') {
      entry.route = route;
      this.book.move(transfer, 'start');
    }
    entry.sink.push(chunk);
    transfer.bytes += length;
    this.quiet.moved(transfer);
    if (transfer.bytes - entry.ackedSent >= ACK_EVERY_BYTES || transfer.bytes === transfer.size) {
      entry.ackedSent = transfer.bytes;
      this.channels.sendControl({ type: 'file.ack', id: transfer.id, bytes: transfer.bytes });
    }
    transfer.bytesPerSecond = entry.meter.update(transfer.bytes);
    transfer.secondsLeft = entry.meter.secondsLeft(transfer.bytes);
    this.book.emit();
    if (transfer.bytes === transfer.size && entry.expectedSha) void this.verify(entry);
  }

  async onSent(message: PeerMessageOf<'file.sent'>): Promise<void> {
    const entry = this.entries.get(message.id);
    if (!entry || !isMoving(entry.transfer.state)) return;
    entry.expectedSha = message.sha256;
    // file.sent travels on the control channel and may overtake the last chunks on the file channel.
    if (entry.transfer.bytes === entry.transfer.size) await this.verify(entry);
  }

  private async verify(entry: Incoming): Promise<void> {
    const { transfer } = entry;
    if (!entry.sink || !this.book.move(transfer, 'complete')) return;
    let stored: { sha256: string; file: Blob };
    try {
      stored = await entry.sink.complete();
    } catch {
      if (isFinal(transfer.state)) return; // cancelled, or the failure was already reported
      this.channels.sendControl({ type: 'file.cancel', id: transfer.id });
      return this.book.fail(transfer, 'storage');
    }
    if (isFinal(transfer.state)) return;
    const ok = stored.sha256 === entry.expectedSha;
    if (ok) transfer.blob = stored.file;
    this.channels.sendControl({ type: 'file.verified', id: transfer.id, ok });
    transfer.secondsLeft = 0;
    // A mismatch ends the transfer: its stored bytes go (onEnded above).
    if (this.book.move(transfer, ok ? 'verified' : 'mismatch')) this.book.announce({ kind: ok ? 'done' : 'mismatch', transfer });
  }
}
