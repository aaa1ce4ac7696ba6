import type { SessionState } from '../../protocol/index.js';
import type { SharingSource } from '../activity/sharing-activity.js';
import { Emitter } from '../emitter.js';

/**
 * Whether the customer shares, from the session's state: live means shared, consented not. The
 * same state again (a reconnection) changes nothing, and the end has its own log entry.
 */
export class SessionSharing implements SharingSource {
  private sessionId: string | null = null;
  private live = false;
  private readonly events = new Emitter<{ sharing: [sharing: boolean] }>();

  get isSharing(): boolean {
    return this.live;
  }

  on(event: 'sharing', listener: (sharing: boolean) => void): () => void {
    return this.events.on(event, listener);
  }

  onState(sessionId: string, state: SessionState): void {
    if (state === 'ended') {
      this.live = false;
      return;
    }
    const live = state === 'live';
    const changed = this.sessionId === sessionId ? this.live !== live : live;
    this.sessionId = sessionId;
    this.live = live;
    if (changed) this.events.emit('sharing', live);
  }
}
