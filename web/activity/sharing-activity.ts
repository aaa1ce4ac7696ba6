import type { Role } from '../../protocol/index.js';
import type { StringKey } from '../i18n/i18n.js';
import type { SessionTools } from './session-tools.js';

/** Whatever says when the customer's screen starts and stops being shared. */
export interface SharingSource {
  /** Shared right now (a log that starts listening late says so first). */
  readonly isSharing: boolean;
  on(event: 'sharing', listener: (sharing: boolean) => void): () => void;
}

const ENTRY: Record<Role, Record<'started' | 'stopped', StringKey>> = {
  customer: { started: 'tools.event.sharing.started.customer', stopped: 'tools.event.sharing.stopped.customer' },
  analyst: { started: 'tools.event.sharing.started.analyst', stopped: 'tools.event.sharing.stopped.analyst' },
};

/**
 * The activity log follows screen sharing from the model: on the customer's page the share itself
 * (customer/screen-share.ts), on the analyst's the session's state from the server. Returns the
 * unsubscribe.
 */
export function logSharing(source: SharingSource, tools: SessionTools, role: Role, name: string): () => void {
  const log = (sharing: boolean) => tools.addEvent(ENTRY[role][sharing ? 'started' : 'stopped'], { name });
  if (source.isSharing) log(true);
  return source.on('sharing', log);
}
