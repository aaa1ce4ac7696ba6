import { useEffect, useReducer, useRef, useState } from 'preact/hooks';
import type { StringKey } from '../i18n/i18n.js';
import type { SessionConnection } from '../session/session-connection.js';
import { SessionHistory } from './session-history.js';
import { SessionTools } from './session-tools.js';

/**
 * One SessionTools per session: made with its first session connection, moved onto the next link when the
 * connection is rebuilt after a loss (connection-replacement.ts), disposed when the link goes with the session's
 * end. While the page is visible everything is read at once; while it is hidden (the customer is
 * busy in the window they share) the title counts what is new.
 */
export function useSessionTools(peer: SessionConnection | null, names: { me: string; peer: string }, openingEvent: StringKey | null, sessionId: string | null = null): SessionTools | null {
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
    // What the page kept of this session before a reload comes back (session-history.ts).
    const history = new SessionHistory();
    const saved = sessionId ? history.load(sessionId) : null;
    const created = new SessionTools(peer, names, sessionId ? { sessionId, history, saved } : null);
    if (openingEvent && !saved) created.addEvent(openingEvent, { name: names.peer });
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
        // The files stay on disk while the session goes on (a reload, another tab); when the page
        // sees the session end, SessionHistory.end() removes them (use-customer-ticket, use-analyst-console).
        created.files.release();
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
