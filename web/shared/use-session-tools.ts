import { useEffect, useReducer, useState } from 'preact/hooks';
import { clearTransferFiles } from './file-sink.js';
import type { StringKey } from './i18n.js';
import type { PeerLink } from './peer-link.js';
import { SessionTools } from './session-tools.js';

/**
 * One SessionTools per peer link. While the page is visible everything is read at once; while it
 * is hidden (the customer is busy in the window they share) the title counts what is new.
 */
export function useSessionTools(peer: PeerLink | null, names: { me: string; peer: string }, openingEvent: StringKey | null): SessionTools | null {
  const [tools, setTools] = useState<SessionTools | null>(null);
  const [, rerender] = useReducer((n: number) => n + 1, 0);

  useEffect(() => {
    // Without a peer (session over) the last tools stay on screen, frozen, as the session's record.
    if (!peer) return;
    const created = new SessionTools(peer, names);
    if (openingEvent) created.addEvent(openingEvent, { name: names.peer });
    const baseTitle = document.title;
    const onChange = () => {
      if (!document.hidden) created.markRead();
      document.title = created.unread > 0 ? `(${created.unread}) ${baseTitle}` : baseTitle;
      rerender(0);
    };
    const offChange = created.onChange(onChange);
    const onVisible = () => !document.hidden && created.markRead();
    document.addEventListener('visibilitychange', onVisible);
    peer.channels.whenOpen().then(() => created.addEvent('tools.event.connected', { name: names.peer }), () => undefined);
    setTools(created);
    return () => {
      // Dispose first, while still subscribed, so the frozen record shows how each transfer ended.
      created.dispose('sessionEnded');
      offChange();
      document.removeEventListener('visibilitychange', onVisible);
      document.title = baseTitle;
      // Files live only for the session. Give a save the user just started a moment to finish copying.
      setTimeout(() => void clearTransferFiles(), 30_000);
    };
  }, [peer]);

  return tools;
}
