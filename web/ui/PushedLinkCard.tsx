import { useI18n } from '../i18n/i18n.js';
import type { SessionTools, TimelineEntry } from '../activity/session-tools.js';

/**
 * A pushed link. The destination host is shown big and alone, so the customer sees where it goes
 * before deciding; it opens only on their click, in a new tab without access back to this page.
 */
export function PushedLinkCard({ tools, entry, peerName }: { tools: SessionTools; entry: Extract<TimelineEntry, { kind: 'pushedLink' }>; peerName: string }) {
  const { t } = useI18n();
  const incoming = entry.from === 'peer';
  return (
    <div class="link-card" data-testid="link-card" data-host={entry.host}>
      <div class="muted">{incoming ? t('tools.link.fromPeer', { name: peerName }) : t('tools.link.sent')}</div>
      {entry.label && <div class="link-label">{entry.label}</div>}
      <div>
        {t('tools.link.goesTo')} <strong class="link-host" data-testid="link-host">{entry.host}</strong>
      </div>
      <div class="link-url">{entry.url}</div>
      {incoming && entry.url.startsWith('http:') && <div class="field-error" data-testid="link-insecure">{t('tools.link.insecure')}</div>}
      {incoming ? (
        <button type="button" class="primary" onClick={() => tools.openLink(entry.linkId)} data-testid="open-link">
          {entry.opened ? `${t('tools.link.opened')} ✓` : t('tools.link.open')}
        </button>
      ) : (
        entry.opened && <span class="muted">{t('tools.link.opened')} ✓</span>
      )}
    </div>
  );
}
