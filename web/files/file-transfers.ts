import type { PeerMessage } from '../../protocol/index.js';
import type { PeerChannels } from '../session/peer-channels.js';
import { IncomingFiles } from './incoming-files.js';
import { OutgoingFiles } from './outgoing-files.js';
import { QuietWatch } from './quiet-watch.js';
import type { SessionFiles } from './session-files.js';
import { TransferBook, type Transfer, type TransferEvent } from './transfer-book.js';
import { isFinal } from './transfer-machine.js';

export type { FailReason, Transfer, TransferEvent } from './transfer-book.js';
export type { TransferState } from './transfer-machine.js';
export { isFinal } from './transfer-machine.js';
export { QUIET_HINT_MS } from './quiet-watch.js';

// File sharing both ways, peer to peer, over one session connection's channels: the facade the
// session tools use. Each transfer's life is the table in transfer-machine.ts; the transfers and
// their states are kept in one book (transfer-book.ts); sending (outgoing-files.ts), receiving
// (incoming-files.ts) and the stall watch (quiet-watch.ts) are one module each.
//
// Beside its state, a running transfer is `interrupted` while the path of the connection it
// travels on stops answering (connectivity.ts): its progress pauses and the page says so. The
// path comes back (the transfer goes on) or the browser declares the connection failed, which
// fails the transfer ('connectionLost', or 'linkLost' when only the file connection went).

export class FileTransfers {
  private readonly book = new TransferBook();
  private readonly quiet = new QuietWatch(this.book);
  private readonly outgoing: OutgoingFiles;
  private readonly incoming: IncomingFiles;
  private disposed = false;
  private readonly unsubscribe: Array<() => void>;

  /** `admit`: whether one more file offer from the other page is taken in (flood-guard.ts). */
  constructor(private readonly channels: PeerChannels, files: SessionFiles, private readonly admit: () => boolean = () => true) {
    this.outgoing = new OutgoingFiles(channels, this.book, this.quiet);
    this.incoming = new IncomingFiles(channels, this.book, this.quiet, files);
    this.unsubscribe = [
      channels.onControl((message) => this.onControl(message)),
      channels.onChunk((handle, chunk, route) => this.incoming.onChunk(handle, chunk, route)),
      // Closed on a working path: the other side ended it; on a broken one: the connection was lost.
      channels.onClose(() => this.dispose(channels.interrupted ? 'connectionLost' : 'peerLeft')),
      channels.onFileRouteLost(() => this.onFileConnectionLost()),
      channels.onConnectivity(() => this.onConnectivity()),
    ];
  }

  list(): Transfer[] {
    return this.book.list();
  }

  onChange(listener: () => void): () => void {
    return this.book.onChange(listener);
  }

  onEvent(listener: (event: TransferEvent) => void): () => void {
    return this.book.onEvent(listener);
  }

  /** Offers files to the other side; nothing is sent until it accepts each one. */
  offer(files: File[]): void {
    for (const file of files) {
      if (this.disposed) return;
      this.outgoing.offer(file);
    }
  }

  /** Accepting is the only way bytes reach this machine: a click in the page calls this. */
  accept(id: string): Promise<void> {
    return this.incoming.accept(id);
  }

  decline(id: string): void {
    this.incoming.decline(id);
  }

  cancel(id: string): void {
    const transfer = this.book.get(id);
    if (!transfer || isFinal(transfer.state)) return;
    this.channels.sendControl({ type: 'file.cancel', id });
    this.book.cancel(transfer, 'me');
  }

  /** Session over or peer gone: every unfinished transfer stops and its partial data is deleted. */
  dispose(reason: 'peerLeft' | 'connectionLost' | 'sessionEnded'): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const transfer of this.list()) this.book.fail(transfer, reason);
    this.outgoing.stop();
    this.quiet.stop();
    this.unsubscribe.forEach((off) => off());
    this.book.emit(true);
  }

  private onControl(message: PeerMessage): void {
    switch (message.type) {
      case 'file.offer':
        // Over the rate: declined at once, so the sender's page does not wait on it.
        if (!this.admit()) return void this.channels.sendControl({ type: 'file.decline', id: message.id });
        return this.incoming.onOffer(message);
      case 'file.accept':
        return this.outgoing.onAccepted(message.id);
      case 'file.decline':
        return this.outgoing.onDeclined(message.id);
      case 'file.cancel': {
        const transfer = this.book.get(message.id);
        if (transfer) this.book.cancel(transfer, 'peer');
        return;
      }
      case 'file.ack':
        return this.outgoing.onAck(message);
      case 'file.sent':
        return void this.incoming.onSent(message);
      case 'file.verified':
        return this.outgoing.onVerified(message);
    }
  }

  private routeOf(id: string) {
    return this.outgoing.routeOf(id) ?? this.incoming.routeOf(id);
  }

  /**
   * The file connection failed under running transfers: their bytes in flight are gone, so they
   * stop with a clear reason on both sides (the other side hears it by file.cancel, if its own
   * file connection has not told it first). Files sent from now on take the session connection.
   */
  private onFileConnectionLost(): void {
    if (this.disposed) return;
    // With the session connection down too, it went with the whole connection to the peer.
    const reason = this.channels.interrupted ? 'connectionLost' : 'linkLost';
    for (const transfer of this.list()) {
      if (this.routeOf(transfer.id) !== 'file' || isFinal(transfer.state)) continue;
      this.channels.sendControl({ type: 'file.cancel', id: transfer.id });
      this.book.fail(transfer, reason);
    }
  }

  /** A path went quiet or came back: running transfers on it show it. */
  private onConnectivity(): void {
    if (this.disposed) return;
    let changed = false;
    for (const transfer of this.list()) {
      const route = this.routeOf(transfer.id);
      const interrupted = route !== null && transfer.state === 'transferring' && this.channels.routeInterrupted(route);
      if (interrupted === Boolean(transfer.interrupted)) continue;
      transfer.interrupted = interrupted;
      changed = true;
    }
    if (changed) this.book.emit(true);
  }
}
