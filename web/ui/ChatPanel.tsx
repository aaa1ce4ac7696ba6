import { useEffect, useRef, useState } from 'preact/hooks';
import { PEER_LIMITS } from '../../protocol/index.js';
import { PushedLinkCard } from './PushedLinkCard.js';
import { useI18n } from '../i18n/i18n.js';
import type { SessionTools } from '../activity/session-tools.js';

const time = (at: number, lang: string) => new Date(at).toLocaleTimeString(lang, { hour: '2-digit', minute: '2-digit', second: '2-digit' });

/** Messages and the session's activity log in one timeline, newest at the bottom. */
export function ChatPanel({ tools, peerName, readOnly }: { tools: SessionTools; peerName: string; readOnly: boolean }) {
  const { t, lang } = useI18n();
  const [draft, setDraft] = useState('');
  const [problem, setProblem] = useState(false);
  const list = useRef<HTMLOListElement>(null);
  useEffect(() => {
    list.current?.lastElementChild?.scrollIntoView({ block: 'nearest' });
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
