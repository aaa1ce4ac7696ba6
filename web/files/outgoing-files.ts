import { PEER_LIMITS, type PeerMessageOf } from '../../protocol/index.js';
import type { FileRouteName, PeerChannels } from '../session/peer-channels.js';
import { readBlocks } from './file-blocks.js';
import { FileDigest } from './file-digest.js';
import { chunkRanges } from './file-framing.js';
import { FlowWindow } from './flow-window.js';
import type { QuietWatch } from './quiet-watch.js';
import type { Transfer, TransferBook } from './transfer-book.js';
import { RateMeter } from './transfer-rate.js';

interface Outgoing {
  transfer: Transfer;
  file: Blob;
  handle: number;
  /** Highest byte count the receiver acknowledged, and who waits for the next ack. */
  acked: number;
  ackWaiter: (() => void) | null;
  /** Which route its bytes take (peer-channels.ts), once sending starts. */
  route: FileRouteName | null;
  /** Called when the transfer ends, so a hung read or drain stops holding the queue. */
  stop: (() => void) | null;
}

let idCounter = 0;
const newId = () => `${Date.now().toString(36)}${(idCounter++).toString(36)}${Math.random().toString(36).slice(2, 8)}`;

/**
 * The files this side sends: offered, then sent one at a time once the other side accepts, at
 * the pace of its acknowledgements (flow-window.ts) and of the file channel's queue.
 */
export class OutgoingFiles {
  private readonly entries = new Map<string, Outgoing>();
  private queue: Outgoing[] = [];
  private pumping = false;
  private nextHandle = 1;

  constructor(private readonly channels: PeerChannels, private readonly book: TransferBook, private readonly quiet: QuietWatch) {
    book.onEnded((transfer) => {
      const entry = this.entries.get(transfer.id);
      if (!entry) return;
      entry.stop?.();
      // A sender waiting for an ack must notice that the transfer is over.
      const wake = entry.ackWaiter;
      entry.ackWaiter = null;
      wake?.();
    });
  }

  has(id: string): boolean {
    return this.entries.has(id);
  }

  routeOf(id: string): FileRouteName | null {
    return this.entries.get(id)?.route ?? null;
  }

  offer(file: File): void {
    const transfer: Transfer = {
      id: newId(),
      direction: 'out',
      name: file.name.slice(0, PEER_LIMITS.fileNameMax) || 'file',
      size: file.size,
      mime: (file.type || 'application/octet-stream').slice(0, 255),
      state: 'offered',
      bytes: 0,
      bytesPerSecond: 0,
      secondsLeft: null,
    };
    const handle = this.nextHandle++;
    this.entries.set(transfer.id, { transfer, file, handle, acked: 0, ackWaiter: null, route: null, stop: null });
    this.book.add(transfer);
    this.channels.sendControl({ type: 'file.offer', id: transfer.id, handle, name: transfer.name, size: transfer.size, mime: transfer.mime });
    this.book.announce({ kind: 'offered', transfer });
  }

  onAccepted(id: string): void {
    const entry = this.entries.get(id);
    if (!entry || !this.book.move(entry.transfer, 'accept')) return;
    this.book.announce({ kind: 'accepted', transfer: entry.transfer });
    this.queue.push(entry);
    void this.pump();
  }

  onDeclined(id: string): void {
    const entry = this.entries.get(id);
    if (entry?.transfer.state === 'offered' && this.book.move(entry.transfer, 'decline')) this.book.announce({ kind: 'declined', transfer: entry.transfer });
  }

  onAck(message: PeerMessageOf<'file.ack'>): void {
    const entry = this.entries.get(message.id);
    if (!entry || message.bytes <= entry.acked || message.bytes > entry.transfer.bytes) return;
    entry.acked = message.bytes;
    const wake = entry.ackWaiter;
    entry.ackWaiter = null;
    wake?.();
  }

  onVerified(message: PeerMessageOf<'file.verified'>): void {
    const entry = this.entries.get(message.id);
    if (!entry || !this.book.move(entry.transfer, message.ok ? 'verified' : 'mismatch')) return;
    this.book.announce({ kind: message.ok ? 'done' : 'mismatch', transfer: entry.transfer });
  }

  /** Nothing more is sent (the session connection is gone or the session ended). */
  stop(): void {
    this.queue = [];
  }

  /** Sends accepted files one at a time. */
  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      for (let entry = this.queue.shift(); entry; entry = this.queue.shift()) {
        if (entry.transfer.state !== 'accepted') continue;
        const current = entry;
        await this.send(current).catch(() => this.book.fail(current.transfer, 'storage'));
      }
    } finally {
      this.pumping = false;
    }
  }

  private async send(entry: Outgoing): Promise<void> {
    const { transfer, file, handle } = entry;
    const digest = new FileDigest(transfer.size);
    const meter = new RateMeter(transfer.size);
    const flow = new FlowWindow();
    const unacked = () => !flow.canSend(transfer.bytes, entry.acked);
    // Woken by each ack (and when the transfer ends, through onEnded), never by a timer.
    const ackArrives = () =>
      new Promise<void>((resolve) => {
        const previous = entry.acked;
        entry.ackWaiter = () => {
          flow.onAck(entry.acked, performance.now(), entry.acked - previous);
          resolve();
        };
      });
    if (!this.book.move(transfer, 'start')) return;
    this.quiet.moved(transfer);
    const sending = this.channels.beginFile(handle);
    entry.route = sending.route;
    // Resolves (with null) when the transfer ends: cancelled, failed. A file read that hangs (a
    // network share gone) or a queue that never drains must not hold back the files after it.
    const stopped = new Promise<null>((resolve) => (entry.stop = () => resolve(null)));
    const blocks = readBlocks(file);
    try {
      for (;;) {
        const next = await Promise.race([blocks.next(), stopped]);
        if (!next || next.done) break;
        const block = next.value;
        digest.addBlock(block);
        for (const [start, end] of chunkRanges(block.byteLength, sending.chunkBytes)) {
          if (transfer.state !== 'transferring') return; // cancelled, or the peer left
          while (unacked() && transfer.state === 'transferring') await ackArrives();
          await Promise.race([this.channels.fileDrained(), stopped]);
          if (transfer.state !== 'transferring') return;
          this.channels.sendChunk(block.subarray(start, end));
          transfer.bytes += end - start;
          this.quiet.moved(transfer);
          flow.noteSent(transfer.bytes, performance.now());
          transfer.bytesPerSecond = meter.update(transfer.bytes);
          transfer.secondsLeft = meter.secondsLeft(transfer.bytes);
          this.book.emit();
        }
      }
    } finally {
      entry.stop = null;
      // Ends the read (and cancels the stream) once it can; not awaited, since it may hang.
      void blocks.return(undefined).catch(() => undefined);
    }
    const sha256 = await digest.hex();
    if (transfer.state !== 'transferring') return;
    this.channels.sendControl({ type: 'file.sent', id: transfer.id, sha256 });
    this.book.move(transfer, 'complete');
  }
}
