import { useEffect, useRef, useState } from 'preact/hooks';
import { PEER_LIMITS } from '../../protocol/index.js';
import { PushedLinkCard } from './PushedLinkCard.js';
import { LANGS, useI18n } from '../i18n/i18n.js';
import type { SessionTools } from '../activity/session-tools.js';

// One formatter per language, made while the page is idle: toLocaleTimeString builds a new one on
// every call, for every entry on every render, and the first one loads the browser's locale data
// (about 30 ms, measured in the first-frame benchmark's profile, docs/benchmarks.md): that used to
// land on the session's first second, while the connection negotiates.
const formatters = new Map<string, Intl.DateTimeFormat>();
const formatter = (lang: string) => {
  let format = formatters.get(lang);
  if (!format) formatters.set(lang, (format = new Intl.DateTimeFormat(lang, { hour: '2-digit', minute: '2-digit', second: '2-digit' })));
  return format;
};
const time = (at: number, lang: string) => formatter(lang).format(at);
const whenIdle = globalThis.requestIdleCallback ?? ((run: () => void) => setTimeout(run, 500));
whenIdle(() => LANGS.forEach((lang) => formatter(lang)));

/** Messages and the session's activity log in one timeline, newest at the bottom. */
export function ChatPanel({ tools, peerName, readOnly }: { tools: SessionTools; peerName: string; readOnly: boolean }) {
  const { t, lang } = useI18n();
  const [draft, setDraft] = useState('');
  const [problem, setProblem] = useState(false);
  const list = useRef<HTMLOListElement>(null);
  useEffect(() => {
    // At the next frame, with the layout the browser makes then anyway: scrolling at once forces
    // a layout of its own in the middle of the session's setup.
    const frame = requestAnimationFrame(() => list.current?.lastElementChild?.scrollIntoView({ block: 'nearest' }));
    return () => cancelAnimationFrame(frame);
  }, [tools.timeline.at(-1)?.id]);

  const onSubmit = (event: Event) => {
    event.preventDefault();
    if (!draft.trim()) return;
    const sent = tools.sendChat(draft);
    setProblem(!sent);
    if (sent) setDraft('');
  };

  return (
    <section class="panel chat" aria-labelledby="chat-title" data-testid="chat">
      <h3 id="chat-title">
        {t('tools.chat.title')}
        {tools.unread > 0 && <span class="badge" data-testid="unread">{t('tools.chat.unread', { count: tools.unread })}</span>}
      </h3>
      <div role="log" aria-live="polite" class="timeline-wrap">
      <ol class="timeline" ref={list} data-testid="timeline">
        {tools.timeline.length === 0 && <li class="muted">{t('tools.chat.empty')}</li>}
        {tools.timeline.map((entry) => {
          const at = <time class="at">{time(entry.at, lang)}</time>;
          if (entry.kind === 'chat') {
            return (
              <li key={entry.id} class={`msg ${entry.from}`} data-testid="chat-message" data-from={entry.from}>
                {at} <strong>{entry.from === 'me' ? t('tools.chat.me') : peerName}:</strong> <span class="text">{entry.text}</span>
              </li>
            );
          }
          if (entry.kind === 'pushedLink') return <li key={entry.id}>{at} <PushedLinkCard tools={tools} entry={entry} peerName={peerName} /></li>;
          return (
            <li key={entry.id} class="event" data-testid="activity" data-key={entry.key}>
              {at} {t(entry.key, entry.params)}
            </li>
          );
        })}
      </ol>
      </div>
      {!readOnly && <form class="chat-form" onSubmit={onSubmit}>
        <label class="visually-hidden" for="chat-input">{t('tools.chat.label')}</label>
        <input id="chat-input" value={draft} maxLength={PEER_LIMITS.chatMax} placeholder={t('tools.chat.placeholder')} autocomplete="off"
          onInput={(e) => setDraft((e.target as HTMLInputElement).value)} onFocus={() => tools.markRead()} data-testid="chat-input" />
        <button type="submit" class="primary" disabled={!draft.trim()}>{t('tools.chat.send')}</button>
      </form>}
      {problem && <p class="field-error" role="alert">{t('tools.notConnected')}</p>}
    </section>
  );
}
