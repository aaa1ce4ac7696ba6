import { useEffect, useReducer, useRef, useState } from 'preact/hooks';
import type { StringKey } from '../i18n/i18n.js';
import type { SessionConnection } from '../session/session-connection.js';
import { SessionTools } from './session-tools.js';

/**
 * One SessionTools per session: made with its first session connection, moved onto the next link when the
 * connection is rebuilt after a loss (connection-replacement.ts), disposed when the link goes with the session's
 * end. While the page is visible everything is read at once; while it is hidden (the customer is
 * busy in the window they share) the title counts what is new.
 */
export function useSessionTools(peer: SessionConnection | null, names: { me: string; peer: string }, openingEvent: StringKey | null): SessionTools | null {
  const [tools, setTools] = useState<SessionTools | null>(null);
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  const live = useRef<{ tools: SessionTools; end(): void } | null>(null);

  useEffect(() => {
    // Without a peer (session over) the last tools stay on screen, frozen, as the session's record.
    if (!peer) {
      live.current?.end();
      live.current = null;
      return;
    }
    if (live.current) return live.current.tools.attach(peer);
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
    live.current = {
      tools: created,
      end: () => {
        // Dispose first, while still subscribed, so the frozen record shows how each transfer ended.
        created.dispose('sessionEnded');
        offChange();
        document.removeEventListener('visibilitychange', onVisible);
        document.title = baseTitle;
        // This session's files go with it (never another session's). A save the user just started
        // gets a moment to finish copying; its lock keeps a loading page from taking them meanwhile.
        setTimeout(() => void created.files.clear(), 30_000);
      },
    };
    setTools(created);
  }, [peer]);

  // Leaving the page (or the session window) ends them too.
  useEffect(() => () => {
    live.current?.end();
    live.current = null;
  }, []);

  return tools;
}
