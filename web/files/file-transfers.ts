import { PEER_LIMITS, type PeerMessage, type PeerMessageOf } from '../../protocol/index.js';
import { readBlocks } from './file-blocks.js';
import { FileDigest } from './file-digest.js';
import { chunkRanges } from './file-framing.js';
import { ACK_EVERY_BYTES, FlowWindow } from './flow-window.js';
import { createSink, type FileSink } from './file-sink.js';
import type { SessionFiles } from './session-files.js';
import type { FileRouteName, PeerChannels } from '../session/peer-channels.js';
import { RateMeter } from './transfer-rate.js';
import { Emitter } from '../emitter.js';

// File sharing both ways, peer to peer. Every transfer follows one explicit life:
//
//   offered ──accept──▶ accepted ──first byte──▶ transferring ──all bytes + file.sent──▶ verifying ──▶ done
//      │                   │                          │                                     └──▶ mismatch
//      └──decline──▶ declined        any state before done ──cancel──▶ cancelled, ──error/peer gone──▶ failed
//
// Beside the state, a running transfer is `interrupted` while the path of the connection it
// travels on stops answering (connectivity.ts): its progress pauses and the page
// says so. The path comes back (the transfer goes on) or the browser declares the connection
// failed, which fails the transfer ('connectionLost', or 'linkLost' when only the file link went).
// On a working path, a running transfer through which no byte has moved for QUIET_HINT_MS says
// so too (`quietSeconds`): a file read that hangs (a network share gone), a stack that holds data.

export type TransferState = 'offered' | 'accepted' | 'transferring' | 'verifying' | 'done' | 'declined' | 'cancelled' | 'failed' | 'mismatch';
export type FailReason = 'peerLeft' | 'connectionLost' | 'sessionEnded' | 'storage' | 'tooLarge' | 'protocol' | 'linkLost';

export interface Transfer {
  id: string;
  direction: 'out' | 'in';
  name: string;
  size: number;
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

const FINAL: ReadonlySet<TransferState> = new Set(['done', 'declined', 'cancelled', 'failed', 'mismatch']);
export const isFinal = (state: TransferState): boolean => FINAL.has(state);
const PROGRESS_EMIT_MS = 200;
/** After this long without a byte moving on a working path, a running transfer says so. */
export const QUIET_HINT_MS = 10_000;

interface Outgoing {
  transfer: Transfer;
  file: Blob;
  handle: number;
  /** Highest byte count the receiver acknowledged, and who waits for the next ack. */
  acked: number;
  ackWaiter: (() => void) | null;
  /** Which route its bytes take (peer-channels.ts), once sending starts. */
  route: FileRouteName | null;
}

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

let idCounter = 0;
const newId = () => `${Date.now().toString(36)}${(idCounter++).toString(36)}${Math.random().toString(36).slice(2, 8)}`;

export class FileTransfers {
  private readonly outgoing = new Map<string, Outgoing>();
  private readonly incoming = new Map<string, Incoming>();
  private readonly incomingByHandle = new Map<number, Incoming>();
  private readonly order: string[] = [];
  private readonly events = new Emitter<{ change: []; transfer: [event: TransferEvent] }>();
  private sendQueue: Outgoing[] = [];
  private pumping = false;
  private nextHandle = 1;
  private lastEmit = 0;
  private disposed = false;
  /** When a byte last moved through each running transfer, and the clock that watches them. */
  private readonly movedAt = new Map<string, number>();
  /** For the file being sent: called when it ends, so a hung read or drain stops holding the queue. */
  private readonly stopWaiters = new Map<string, () => void>();
  private quietTimer: ReturnType<typeof setInterval> | undefined;
  private readonly unsubscribe: Array<() => void>;

  constructor(private readonly channels: PeerChannels, private readonly files: SessionFiles) {
    this.unsubscribe = [
      channels.onControl((message) => this.onControl(message)),
      channels.onChunk((handle, chunk, route) => this.onChunk(handle, chunk, route)),
      // Closed on a working path: the other side ended it; on a broken one: the connection was lost.
      channels.onClose(() => this.dispose(channels.interrupted ? 'connectionLost' : 'peerLeft')),
      channels.onFileRouteLost(() => this.onLinkLost()),
      channels.onConnectivity(() => this.onConnectivity()),
    ];
  }

  list(): Transfer[] {
    return this.order.map((id) => (this.outgoing.get(id)?.transfer ?? this.incoming.get(id)?.transfer)!).filter(Boolean);
  }

  onChange(listener: () => void): () => void {
    return this.events.on('change', listener);
  }

  onEvent(listener: (event: TransferEvent) => void): () => void {
    return this.events.on('transfer', listener);
  }

  /** Offers files to the other side; nothing is sent until it accepts each one. */
  offer(files: File[]): void {
    for (const file of files) {
      if (this.disposed) return;
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
      this.outgoing.set(transfer.id, { transfer, file, handle, acked: 0, ackWaiter: null, route: null });
      this.order.push(transfer.id);
      this.channels.sendControl({ type: 'file.offer', id: transfer.id, handle, name: transfer.name, size: transfer.size, mime: transfer.mime });
      this.event({ kind: 'offered', transfer });
    }
  }

  /** Accepting is the only way bytes reach this machine: a click in the page calls this. */
  async accept(id: string): Promise<void> {
    const entry = this.incoming.get(id);
    if (!entry || entry.transfer.state !== 'offered') return;
    this.setState(entry.transfer, 'accepted');
    try {
      await this.files.ready();
      entry.sink = await createSink(this.files.fileName(entry.transfer.id), entry.transfer.size);
    } catch (err) {
      this.channels.sendControl({ type: 'file.cancel', id });
      return this.fail(entry.transfer, (err as Error).message === 'tooLargeForMemory' ? 'tooLarge' : 'storage');
    }
    // The user or the peer may have cancelled while storage was being prepared.
    if ((entry.transfer.state as TransferState) !== 'accepted') return void entry.sink.discard();
    entry.sink.onError(() => {
      if (isFinal(entry.transfer.state)) return;
      this.channels.sendControl({ type: 'file.cancel', id });
      this.fail(entry.transfer, 'storage');
    });
    this.channels.sendControl({ type: 'file.accept', id });
    this.event({ kind: 'accepted', transfer: entry.transfer });
  }

  decline(id: string): void {
    const entry = this.incoming.get(id);
    if (!entry || entry.transfer.state !== 'offered') return;
    this.channels.sendControl({ type: 'file.decline', id });
    this.setState(entry.transfer, 'declined');
    this.event({ kind: 'declined', transfer: entry.transfer });
  }

  cancel(id: string): void {
    const transfer = this.outgoing.get(id)?.transfer ?? this.incoming.get(id)?.transfer;
    if (!transfer || isFinal(transfer.state)) return;
    this.channels.sendControl({ type: 'file.cancel', id });
    this.cancelled(transfer, 'me');
  }

  /** Session over or peer gone: every unfinished transfer stops and its partial data is deleted. */
  dispose(reason: 'peerLeft' | 'connectionLost' | 'sessionEnded'): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const transfer of this.list()) if (!isFinal(transfer.state)) this.fail(transfer, reason);
    this.sendQueue = [];
    clearInterval(this.quietTimer);
    this.unsubscribe.forEach((off) => off());
    this.emit(true);
  }

  private onControl(message: PeerMessage): void {
    switch (message.type) {
      case 'file.offer':
        return this.onOffer(message);
      case 'file.accept': {
        const entry = this.outgoing.get(message.id);
        if (!entry || entry.transfer.state !== 'offered') return;
        this.setState(entry.transfer, 'accepted');
        this.event({ kind: 'accepted', transfer: entry.transfer });
        this.sendQueue.push(entry);
        void this.pump();
        return;
      }
      case 'file.decline': {
        const entry = this.outgoing.get(message.id);
        if (!entry || entry.transfer.state !== 'offered') return;
        this.setState(entry.transfer, 'declined');
        this.event({ kind: 'declined', transfer: entry.transfer });
        return;
      }
      case 'file.cancel': {
        const transfer = this.outgoing.get(message.id)?.transfer ?? this.incoming.get(message.id)?.transfer;
        if (transfer && !isFinal(transfer.state)) this.cancelled(transfer, 'peer');
        return;
      }
      case 'file.ack': {
        const entry = this.outgoing.get(message.id);
        if (!entry || message.bytes <= entry.acked || message.bytes > entry.transfer.bytes) return;
        entry.acked = message.bytes;
        const wake = entry.ackWaiter;
        entry.ackWaiter = null;
        wake?.();
        return;
      }
      case 'file.sent':
        return void this.onSent(message);
      case 'file.verified': {
        const entry = this.outgoing.get(message.id);
        if (!entry || entry.transfer.state !== 'verifying') return;
        this.setState(entry.transfer, message.ok ? 'done' : 'mismatch');
        this.event({ kind: message.ok ? 'done' : 'mismatch', transfer: entry.transfer });
        return;
      }
    }
  }

  private onOffer(message: PeerMessageOf<'file.offer'>): void {
    if (this.incoming.has(message.id) || this.incomingByHandle.has(message.handle)) return;
    const open = [...this.incoming.values()].filter((e) => e.transfer.state === 'offered').length;
    if (open >= PEER_LIMITS.openOffersMax) return void this.channels.sendControl({ type: 'file.decline', id: message.id });
    const transfer: Transfer = {
      id: message.id,
      direction: 'in',
      name: message.name,
      size: message.size,
      mime: message.mime,
      state: 'offered',
      bytes: 0,
      bytesPerSecond: 0,
      secondsLeft: null,
    };
    const entry: Incoming = { transfer, handle: message.handle, sink: null, expectedSha: null, meter: new RateMeter(message.size), ackedSent: 0, route: null };
    this.incoming.set(message.id, entry);
    this.incomingByHandle.set(message.handle, entry);
    this.order.push(message.id);
    this.event({ kind: 'offered', transfer });
  }

  /**
   * The file link failed under running transfers: their bytes in flight are gone, so they stop
   * with a clear reason on both sides (the other side hears it by file.cancel, if its own link
   * has not told it first). Files sent from now on take the session connection.
   */
  private onLinkLost(): void {
    if (this.disposed) return;
    // With the session connection down too, the link went with the whole connection to the peer.
    const reason = this.channels.interrupted ? 'connectionLost' : 'linkLost';
    const onLink = this.entries().filter((e) => e.route === 'link' && !isFinal(e.transfer.state));
    for (const { transfer } of onLink) {
      this.channels.sendControl({ type: 'file.cancel', id: transfer.id });
      this.fail(transfer, reason);
    }
  }

  /** A path went quiet or came back: running transfers on it show it. */
  private onConnectivity(): void {
    if (this.disposed) return;
    let changed = false;
    for (const { transfer, route } of this.entries()) {
      const interrupted = route !== null && transfer.state === 'transferring' && this.channels.routeInterrupted(route);
      if (interrupted === Boolean(transfer.interrupted)) continue;
      transfer.interrupted = interrupted;
      changed = true;
    }
    if (changed) this.emit(true);
  }

  private onChunk(handle: number, chunk: ArrayBuffer, route: FileRouteName): void {
    const entry = this.incomingByHandle.get(handle);
    // Bytes for a file this side did not accept (or already finished) are dropped, never stored.
    if (!entry || !entry.sink) return;
    const { transfer } = entry;
    if (transfer.state !== 'accepted' && transfer.state !== 'transferring') return;
    const length = chunk.byteLength;
    if (transfer.bytes + length > transfer.size) {
      this.channels.sendControl({ type: 'file.cancel', id: transfer.id });
      return this.fail(transfer, 'protocol');
    }
    if (transfer.state === 'accepted') {
      entry.route = route;
      this.setState(transfer, 'transferring');
    }
    entry.sink.push(chunk);
    transfer.bytes += length;
    this.moved(transfer);
    if (transfer.bytes - entry.ackedSent >= ACK_EVERY_BYTES || transfer.bytes === transfer.size) {
      entry.ackedSent = transfer.bytes;
      this.channels.sendControl({ type: 'file.ack', id: transfer.id, bytes: transfer.bytes });
    }
    transfer.bytesPerSecond = entry.meter.update(transfer.bytes);
    transfer.secondsLeft = entry.meter.secondsLeft(transfer.bytes);
    this.emit();
    if (transfer.bytes === transfer.size && entry.expectedSha) void this.verify(entry);
  }

  private async onSent(message: PeerMessageOf<'file.sent'>): Promise<void> {
    const entry = this.incoming.get(message.id);
    if (!entry || (entry.transfer.state !== 'accepted' && entry.transfer.state !== 'transferring')) return;
    entry.expectedSha = message.sha256;
    // file.sent travels on the control channel and may overtake the last chunks on the file channel.
    if (entry.transfer.bytes === entry.transfer.size) await this.verify(entry);
  }

  private async verify(entry: Incoming): Promise<void> {
    const { transfer } = entry;
    if (transfer.state === 'verifying' || isFinal(transfer.state)) return;
    this.setState(transfer, 'verifying');
    let stored: { sha256: string; file: Blob };
    try {
      stored = await entry.sink!.complete();
    } catch {
      if (isFinal(transfer.state)) return; // cancelled, or the failure was already reported
      this.channels.sendControl({ type: 'file.cancel', id: transfer.id });
      return this.fail(transfer, 'storage');
    }
    if (isFinal(transfer.state)) return;
    const ok = stored.sha256 === entry.expectedSha;
    if (ok) transfer.blob = stored.file;
    else await entry.sink!.discard();
    if (isFinal(transfer.state)) return;
    this.channels.sendControl({ type: 'file.verified', id: transfer.id, ok });
    transfer.secondsLeft = 0;
    this.setState(transfer, ok ? 'done' : 'mismatch');
    this.event({ kind: ok ? 'done' : 'mismatch', transfer });
  }

  /** Sends accepted files one at a time, at the pace the file channel drains. */
  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      for (let entry = this.sendQueue.shift(); entry; entry = this.sendQueue.shift()) {
        if (entry.transfer.state !== 'accepted') continue;
        await this.send(entry).catch(() => {
          if (!isFinal(entry!.transfer.state)) this.fail(entry!.transfer, this.disposed ? 'peerLeft' : 'storage');
        });
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
    // Woken by each ack (and by cancel or disconnect, through wakeSender), never by a timer.
    const ackArrives = () =>
      new Promise<void>((resolve) => {
        const previous = entry.acked;
        entry.ackWaiter = () => {
          flow.onAck(entry.acked, performance.now(), entry.acked - previous);
          resolve();
        };
      });
    this.setState(transfer, 'transferring');
    this.moved(transfer);
    const sending = this.channels.beginFile(handle);
    entry.route = sending.route;
    // Resolves (with null) when the transfer ends: cancelled, failed. A file read that hangs (a
    // network share gone) or a queue that never drains must not hold back the files after it.
    const stopped = new Promise<null>((resolve) => this.stopWaiters.set(transfer.id, () => resolve(null)));
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
          this.moved(transfer);
          flow.noteSent(transfer.bytes, performance.now());
          transfer.bytesPerSecond = meter.update(transfer.bytes);
          transfer.secondsLeft = meter.secondsLeft(transfer.bytes);
          this.emit();
        }
      }
    } finally {
      this.stopWaiters.delete(transfer.id);
      // Ends the read (and cancels the stream) once it can; not awaited, since it may hang.
      void blocks.return(undefined).catch(() => undefined);
    }
    const sha256 = await digest.hex();
    if (transfer.state !== 'transferring') return;
    this.channels.sendControl({ type: 'file.sent', id: transfer.id, sha256 });
    this.setState(transfer, 'verifying');
  }

  /** Every transfer's entry, sent and received. */
  private entries(): Array<Outgoing | Incoming> {
    return [...this.outgoing.values(), ...this.incoming.values()];
  }

  /** Bytes moved through `transfer` just now (sent, or received). */
  private moved(transfer: Transfer): void {
    this.movedAt.set(transfer.id, performance.now());
    if (transfer.quietSeconds !== undefined) {
      transfer.quietSeconds = undefined;
      this.emit(true);
    }
    this.quietTimer ??= setInterval(() => this.checkQuiet(), 1000);
  }

  /** Every second while transfers run: which have been quiet too long on a working path. */
  private checkQuiet(): void {
    const now = performance.now();
    let changed = false;
    for (const [id, at] of this.movedAt) {
      const transfer = this.outgoing.get(id)?.transfer ?? this.incoming.get(id)?.transfer;
      if (!transfer || transfer.state !== 'transferring') {
        this.movedAt.delete(id);
        continue;
      }
      const quiet = now - at >= QUIET_HINT_MS && !transfer.interrupted ? Math.floor((now - at) / 1000) : undefined;
      if (quiet === transfer.quietSeconds) continue;
      transfer.quietSeconds = quiet;
      changed = true;
    }
    if (this.movedAt.size === 0) {
      clearInterval(this.quietTimer);
      this.quietTimer = undefined;
    }
    if (changed) this.emit(true);
  }

  private cancelled(transfer: Transfer, by: 'me' | 'peer'): void {
    transfer.cancelledBy = by;
    this.setState(transfer, 'cancelled');
    this.discardIncoming(transfer.id);
    this.event({ kind: 'cancelled', transfer });
  }

  private fail(transfer: Transfer, reason: FailReason): void {
    transfer.failReason = reason;
    this.setState(transfer, 'failed');
    this.discardIncoming(transfer.id);
    this.event({ kind: 'failed', transfer });
  }

  private discardIncoming(id: string): void {
    const entry = this.incoming.get(id);
    if (!entry?.sink) return;
    void entry.sink.discard();
  }

  private setState(transfer: Transfer, state: TransferState): void {
    transfer.state = state;
    if (state !== 'transferring') {
      transfer.interrupted = false;
      transfer.quietSeconds = undefined;
    }
    if (isFinal(state)) {
      this.stopWaiters.get(transfer.id)?.();
      // A sender waiting for an ack must notice that the transfer is over.
      const entry = this.outgoing.get(transfer.id);
      const wake = entry?.ackWaiter;
      if (entry) entry.ackWaiter = null;
      wake?.();
    }
    this.emit(true);
  }

  private event(event: TransferEvent): void {
    this.events.emit('transfer', event);
    this.emit(true);
  }

  /** Progress is throttled for the UI; state changes go out at once. */
  private emit(force = false): void {
    const now = performance.now();
    if (!force && now - this.lastEmit < PROGRESS_EMIT_MS) return;
    this.lastEmit = now;
    this.events.emit('change');
  }
}
