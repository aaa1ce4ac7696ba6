import { Emitter } from '../emitter.js';
import { captureScreen, stopStream, type CaptureResult } from './screen-capture.js';

export type ShareProblem = 'denied' | 'unsupported' | 'failed' | null;

/**
 * What a share needs of the session connection (a fake in unit tests): a sender negotiated with
 * the connection's first offer, so the screen can go on it, change or come off at any moment,
 * connected yet or not, without renegotiating (session-connection.ts).
 */
export interface ShareTarget {
  /** Puts this stream's picture on the sender, in place of what it sent before. */
  shareScreen(stream: MediaStream): void;
  /** The sender sends nothing. */
  stopScreen(stream: MediaStream): void;
}

export type ScreenShareEvents = {
  /** The stream shared now, or null: on every start, switch and stop. */
  change: [stream: MediaStream | null];
  /** Sharing began or ended (not on a switch of source): the activity log's entries. */
  sharing: [sharing: boolean];
  problem: [problem: ShareProblem];
};

interface Wiring<T> {
  /** The session's connection now (replaced after a loss: session-connections.ts). */
  connection(): T | null;
  /** Tells the server (the analyst's page shows "live" from it). */
  tellServer(sharing: boolean): void;
  capture?: () => Promise<CaptureResult>;
}

/**
 * The customer's screen share for the session's life: what is shared, which connection carries
 * it, and what happens when the source changes, the browser's own "Stop sharing" bar is used, or
 * a new connection replaces a lost one. The page's hook only subscribes.
 */
export class ScreenShare<T extends ShareTarget = ShareTarget> {
  private shared: MediaStream | null = null;
  /** The connection the screen is on (a replacement gets it as soon as it is made). */
  private sharedOn: T | null = null;
  private ended = false;
  private readonly events = new Emitter<ScreenShareEvents>();
  private readonly capture: () => Promise<CaptureResult>;

  constructor(private readonly wiring: Wiring<T>) {
    this.capture = wiring.capture ?? captureScreen;
  }

  on<K extends keyof ScreenShareEvents>(event: K, listener: (...args: ScreenShareEvents[K]) => void): () => void {
    return this.events.on(event, listener);
  }

  get stream(): MediaStream | null {
    return this.shared;
  }

  get isSharing(): boolean {
    return this.shared !== null;
  }

  /** A whole screen is shared (not a window or a tab): remote control needs it. Browsers that do not say count as a screen. */
  get isWholeScreen(): boolean {
    const track = this.shared?.getVideoTracks()[0];
    if (!track || track.readyState === 'ended') return false;
    const surface = (track.getSettings() as { displaySurface?: string }).displaySurface;
    return surface === undefined || surface === 'monitor';
  }

  /** Asks the browser for a screen (inside the click: browsers require the gesture) and shares it. */
  async start(): Promise<void> {
    if (this.shared || this.ended || !this.wiring.connection()) return;
    this.events.emit('problem', null);
    const result = await this.capture();
    if (!result.ok) return this.events.emit('problem', result.reason);
    // The session ended while the picker was open, or a second click already shares.
    if (this.ended || this.shared || !this.wiring.connection()) return stopStream(result.stream);
    this.shared = result.stream;
    this.watchEnd(result.stream);
    this.events.emit('change', result.stream);
    this.events.emit('sharing', true);
    this.wiring.tellServer(true);
    // On the connection at once, connected or not: its first frames go as soon as it is up.
    this.shareOn(this.wiring.connection()!, result.stream);
  }

  /** Another screen, window or tab in place of the current one, without a break. */
  async switch(): Promise<void> {
    const current = this.shared;
    if (!current || this.ended) return;
    this.events.emit('problem', null);
    const result = await this.capture();
    if (!result.ok) return this.events.emit('problem', result.reason === 'denied' ? null : result.reason); // cancelled: keep sharing as before
    const connection = this.wiring.connection();
    if (this.ended || this.shared !== current || !connection || result.stream.getVideoTracks().length === 0) return stopStream(result.stream);
    // The same sender, another track: the analyst sees no gap.
    this.shareOn(connection, result.stream);
    // The replaced track's "ended" must not stop the new share: swap before stopping it.
    this.shared = result.stream;
    this.watchEnd(result.stream);
    stopStream(current);
    this.events.emit('change', result.stream);
  }

  /** The customer stops sharing (our button or the browser's bar). */
  stop(): void {
    if (!this.shared) return;
    this.release();
    this.wiring.tellServer(false);
  }

  /** A connection was made (a replacement after a loss): the screen shared now goes on it. */
  onConnection(connection: T): void {
    if (this.shared && this.sharedOn !== connection) this.shareOn(connection, this.shared);
  }

  /**
   * The session was handed to another analyst: the screen is released (the next analyst is asked
   * for anew, and the customer shares again for them); the server already knows nothing is shared.
   */
  handOver(): void {
    this.release(false);
  }

  /** The session is over: the screen is released, nothing more is shared. Idempotent. */
  end(): void {
    this.ended = true;
    this.release(false);
  }

  /** `tell`: the log hears it (not at the session's end, whose own entry says it all). */
  private release(tell = true): void {
    const stream = this.shared;
    if (!stream) return;
    const connection = this.wiring.connection();
    if (this.sharedOn && this.sharedOn === connection) connection.stopScreen(stream);
    this.sharedOn = null;
    this.shared = null;
    stopStream(stream);
    this.events.emit('change', null);
    if (tell) this.events.emit('sharing', false);
  }

  private shareOn(connection: T, stream: MediaStream): void {
    this.sharedOn = connection;
    connection.shareScreen(stream);
  }

  /** The browser's own "Stop sharing" bar ends the track: like our button. */
  private watchEnd(stream: MediaStream): void {
    stream.getVideoTracks()[0]?.addEventListener('ended', () => this.shared === stream && this.stop());
  }
}
