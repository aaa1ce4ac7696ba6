import { checkPushUrl, PEER_LIMITS, type PeerMessage, type PushUrlProblem } from '../../protocol/index.js';
import { FileTransfers, isFinal, type Transfer, type TransferEvent } from '../files/file-transfers.js';
import { savedTransfers, type SavedSession, type SessionHistory } from './session-history.js';
import type { StringKey } from '../i18n/i18n.js';
import type { SessionConnection } from '../session/session-connection.js';
import { SessionFiles } from '../files/session-files.js';
import { formatBytes } from '../files/transfer-rate.js';
import { Emitter } from '../emitter.js';
import { numberAboveClock } from '../session/connection-replacement.js';
import { Verification } from '../session/verification.js';
import { FloodGuard, type FloodKind } from './flood-guard.js';

/** The timeline keeps this many entries (the oldest go): a long session cannot grow the page without end. */
export const TIMELINE_MAX = 1000;

// Chat, pushed links, files and the session's activity log, over the peer's data channels.
// Plain module (no Preact): components render its state through useSessionTools(). One per
// session: when the session's link is replaced after a loss (connection-replacement.ts), attach() moves the tools
// onto the new one, and the log, the chat and the finished files stay.

export type TimelineEntry =
  | { id: string; at: number; kind: 'chat'; from: 'me' | 'peer'; text: string }
  | { id: string; at: number; kind: 'event'; key: StringKey; params: Record<string, string | number> }
  | { id: string; at: number; kind: 'pushedLink'; from: 'me' | 'peer'; linkId: string; url: string; host: string; label?: string; opened: boolean };

let seq = 0;
const localId = () => `${Date.now().toString(36)}-${(seq++).toString(36)}`;

export class SessionTools {
  /** The current link's transfers. */
  transfers: FileTransfers;
  /** The session's received files on disk, across its links (and reloads); removed when the session is over. */
  readonly files: SessionFiles;
  private saveTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly flushOnHide = () => this.save();
  /** How the transfers of the session's earlier links ended (a received file can still be saved). */
  private earlier: Transfer[] = [];
  timeline: TimelineEntry[] = [];
  /** Messages from the other side not yet seen. */
  unread = 0;
  private readonly events = new Emitter<{ change: [] }>();
  private readonly flood = new FloodGuard();
  private readonly pings = new Map<number, { sentAt: number; resolve: (ms: number) => void }>();
  private pingId = 0;
  /** Whether the log last said the connection to the peer was interrupted. */
  private pathInterrupted = false;
  private offs: Array<() => void> = [];
  private disposed = false;
  /** Changed codes already logged. */
  private readonly changedCodes = new Set<string>();
  /** The phone verification code with its commitment, across the session's connections (verification.ts). */
  readonly verification: Verification;

  /**
   * `keep`: where this page keeps the session for a reload (session-history.ts), and what it kept
   * before one (`saved`): the log, the chat and the transfers come back, and the received files
   * from disk.
   */
  constructor(
    private peer: SessionConnection,
    private readonly names: { me: string; peer: string },
    private readonly keep: { sessionId: string; history: SessionHistory; saved: SavedSession | null } | null = null,
  ) {
    const saved = keep?.saved ?? null;
    this.files = new SessionFiles(undefined, undefined, saved?.scope);
    if (saved) this.restore(saved);
    this.verification = new Verification(peer.role, {
      firstCode: saved?.firstCode ?? null,
      // In the pages (kept for a reload): rounds numbered from the clock, above any earlier page's.
      ...(keep ? { roundNumber: (last: number) => numberAboveClock(last) } : {}),
    });
    this.verification.on('change', () => this.emit());
    this.verification.on('code', (code, changed) => {
      if (!changed || this.changedCodes.has(code)) return;
      this.changedCodes.add(code);
      this.addEvent('tools.event.codeChanged', { name: this.names.peer });
    });
    this.verification.on('alarm', (reason) => this.addEvent(`tools.event.alarm.${reason}` as StringKey, { name: this.names.peer }));
    this.verification.on('confirmed', (by) => this.addEvent(by === 'me' ? 'tools.event.codeConfirmed.me' : 'tools.event.codeConfirmed.peer', { name: this.names.peer }));
    this.transfers = this.listen(peer, saved !== null);
    if (keep) {
      this.events.on('change', () => this.scheduleSave());
      addEventListener('pagehide', this.flushOnHide);
      this.save();
    }
  }

  /** What the page kept before it was reloaded: the timeline, the transfer list, the received files. */
  private restore(saved: SavedSession): void {
    this.timeline = saved.timeline.slice(-TIMELINE_MAX);
    this.earlier = saved.transfers.map((transfer) => ({ ...transfer }));
    for (const transfer of this.earlier) {
      if (transfer.direction !== 'in' || transfer.state !== 'done') continue;
      void this.files.open(transfer.id).then((blob) => {
        if (!blob) return;
        transfer.blob = blob;
        this.emit();
      });
    }
    this.push({ id: localId(), at: Date.now(), kind: 'event', key: 'tools.event.pageReloaded', params: {} });
  }

  private scheduleSave(): void {
    if (this.disposed || this.saveTimer) return;
    this.saveTimer = setTimeout(() => this.save(), 300);
  }

  private save(): void {
    if (this.saveTimer) clearTimeout(this.saveTimer);
    this.saveTimer = null;
    if (!this.keep || this.disposed) return;
    this.keep.history.save({
      sessionId: this.keep.sessionId,
      scope: this.files.scope,
      timeline: this.timeline,
      transfers: savedTransfers(this.allTransfers(), (t) => isFinal(t.state)),
      firstCode: this.verification.firstCodeOfSession,
    });
  }

  /** The current connection's verification code; `changed` when it differs from the session's first. */
  get code(): { value: string; changed: boolean } | null {
    const { code, changed } = this.verification;
    return code ? { value: code, changed } : null;
  }

  /** Moves the tools onto the session's next link; transfers still running on the last one fail. */
  attach(peer: SessionConnection): void {
    if (peer === this.peer || this.disposed) return;
    this.transfers.dispose('connectionLost');
    this.earlier = this.allTransfers();
    this.offs.forEach((off) => off());
    this.peer = peer;
    this.pathInterrupted = false;
    this.transfers = this.listen(peer, true);
    this.emit();
  }

  /** Every transfer of the session, oldest first. */
  allTransfers(): Transfer[] {
    return [...this.earlier, ...this.transfers.list()];
  }

  private listen(peer: SessionConnection, replaced: boolean): FileTransfers {
    const transfers = new FileTransfers(peer.channels, this.files, () => this.admit('fileOffer'));
    this.verification.attach(peer);
    this.offs = [
      peer.channels.onControl((message) => this.onControl(message)),
      transfers.onEvent((event) => this.onTransferEvent(event)),
      transfers.onChange(() => this.emit()),
      peer.channels.onConnectivity(() => this.onConnectivity()),
      // Closed on a broken path: the connection failed for good; the customer's page sets up the next.
      peer.channels.onClose(() => {
        if (peer.channels.interrupted) this.addEvent('tools.event.lost', { name: this.names.peer });
      }),
    ];
    peer.channels.whenOpen().then(
      () => this.peer === peer && !this.disposed && this.addEvent(replaced ? 'tools.event.relinked' : 'tools.event.connected', { name: this.names.peer }),
      () => undefined,
    );
    return transfers;
  }

  get connected(): boolean {
    return this.peer.channels.isOpen;
  }

  onChange(listener: () => void): () => void {
    return this.events.on('change', listener);
  }

  sendChat(text: string): boolean {
    const trimmed = text.trim();
    if (!trimmed || trimmed.length > PEER_LIMITS.chatMax) return false;
    const message = { type: 'chat' as const, id: localId(), text: trimmed, sentAt: Date.now() };
    if (!this.peer.channels.sendControl(message)) return false;
    this.push({ id: message.id, at: message.sentAt, kind: 'chat', from: 'me', text: trimmed });
    return true;
  }

  /** Analyst side: checked here and again by the customer's page. */
  pushUrl(raw: string, label?: string): PushUrlProblem | 'notConnected' | null {
    const checked = checkPushUrl(raw);
    if (!checked.ok) return checked.problem;
    const id = localId();
    const cleanLabel = label?.trim().slice(0, PEER_LIMITS.labelMax) || undefined;
    const url = checked.url.href;
    if (!this.peer.channels.sendControl({ type: 'url.push', id, url, ...(cleanLabel ? { label: cleanLabel } : {}) })) return 'notConnected';
    this.push({ id, at: Date.now(), kind: 'pushedLink', from: 'me', linkId: id, url, host: checked.url.host, label: cleanLabel, opened: false });
    return null;
  }

  /** Customer side: opens a pushed link in a new tab, only from the customer's own click. */
  openLink(linkId: string): void {
    const entry = this.timeline.find((e) => e.kind === 'pushedLink' && e.linkId === linkId && e.from === 'peer');
    if (!entry || entry.kind !== 'pushedLink') return;
    window.open(entry.url, '_blank', 'noopener,noreferrer');
    entry.opened = true;
    this.peer.channels.sendControl({ type: 'url.opened', id: linkId });
    this.addEvent('tools.link.openedByMe', { host: entry.host });
  }

  addEvent(key: StringKey, params: Record<string, string | number> = {}): void {
    this.push({ id: localId(), at: Date.now(), kind: 'event', key, params });
  }

  markRead(): void {
    if (this.unread === 0) return;
    this.unread = 0;
    this.emit();
  }

  /** Round trip over the control channel, in milliseconds. */
  ping(timeoutMs = 5000): Promise<number> {
    const id = this.pingId++;
    return new Promise((resolve, reject) => {
      this.pings.set(id, { sentAt: performance.now(), resolve });
      if (!this.peer.channels.sendControl({ type: 'ping', id })) reject(new Error('notConnected'));
      setTimeout(() => this.pings.delete(id) && reject(new Error('timeout')), timeoutMs);
    });
  }

  dispose(reason: 'peerLeft' | 'connectionLost' | 'sessionEnded'): void {
    // Saved a last time first (a reload: the page goes), then never again (session-history.ts).
    this.save();
    if (this.keep) removeEventListener('pagehide', this.flushOnHide);
    this.disposed = true;
    this.verification.detach();
    this.transfers.dispose(reason);
    this.offs.forEach((off) => off());
    this.emit();
  }

  /** Whether one more message of `kind` from the other page is taken in; the log says when some are not. */
  private admit(kind: FloodKind): boolean {
    if (this.flood.allow(kind)) return true;
    if (this.flood.shouldNotice()) this.addEvent('tools.flood', { name: this.names.peer });
    return false;
  }

  private onControl(message: PeerMessage): void {
    if ((message.type === 'chat' && !this.admit('chat')) || (message.type === 'url.push' && !this.admit('pushedLink'))) return;
    switch (message.type) {
      case 'chat':
        this.unread += 1;
        return this.push({ id: `p-${message.id}`, at: Date.now(), kind: 'chat', from: 'peer', text: message.text });
      case 'url.push': {
        const checked = checkPushUrl(message.url);
        if (!checked.ok) return this.addEvent('tools.link.rejected', { name: this.names.peer });
        this.unread += 1;
        return this.push({ id: `p-${message.id}`, at: Date.now(), kind: 'pushedLink', from: 'peer', linkId: message.id, url: checked.url.href, host: checked.url.host, label: message.label, opened: false });
      }
      case 'url.opened': {
        const entry = this.timeline.find((e) => e.kind === 'pushedLink' && e.linkId === message.id && e.from === 'me');
        if (!entry || entry.kind !== 'pushedLink' || entry.opened) return;
        entry.opened = true;
        return this.addEvent('tools.link.openedByPeer', { name: this.names.peer, host: entry.host });
      }
      case 'ping':
        return void this.peer.channels.sendControl({ type: 'pong', id: message.id });
      case 'pong': {
        const pending = this.pings.get(message.id);
        if (!pending) return;
        this.pings.delete(message.id);
        return pending.resolve(performance.now() - pending.sentAt);
      }
      default:
        return; // file.* messages are FileTransfers' business
    }
  }

  /** The session connection's path dropped or came back: both sides' logs say so, once each way. */
  private onConnectivity(): void {
    const interrupted = this.peer.channels.interrupted;
    if (interrupted === this.pathInterrupted) return;
    this.pathInterrupted = interrupted;
    this.addEvent(interrupted ? 'tools.event.interrupted' : 'tools.event.restored', { name: this.names.peer });
  }

  private onTransferEvent({ kind, transfer }: TransferEvent): void {
    const mine = transfer.direction === 'out';
    const params = { name: transfer.name, size: formatBytes(transfer.size), peer: this.names.peer };
    if (kind === 'offered' && !mine) this.unread += 1;
    const key =
      kind === 'cancelled' ? `tools.file.cancelled.${transfer.cancelledBy === 'me' ? 'byMe' : 'byPeer'}`
      : kind === 'failed' ? `tools.file.failed.${transfer.failReason ?? 'storage'}`
      : `tools.file.${kind}.${mine ? 'out' : 'in'}`;
    this.addEvent(key as StringKey, params);
  }

  /** Appends in place (a copy per message would cost the whole timeline each time), keeping the newest TIMELINE_MAX. */
  private push(entry: TimelineEntry): void {
    this.timeline.push(entry);
    if (this.timeline.length > TIMELINE_MAX) this.timeline.splice(0, this.timeline.length - TIMELINE_MAX);
    this.emit();
  }

  private emit(): void {
    this.events.emit('change');
  }
}
