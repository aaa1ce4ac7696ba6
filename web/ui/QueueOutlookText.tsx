import type { QueueOutlook } from '../../protocol/index.js';
import { useI18n, type Lang } from '../i18n/i18n.js';

/** "at 08:00" today, "Monday at 08:00" another day: when a closed queue opens, in the reader's time zone. */
export function openingTime(at: number, lang: Lang, now = Date.now()): string {
  const sameDay = new Date(at).toDateString() === new Date(now).toDateString();
  const time = new Intl.DateTimeFormat(lang, { hour: '2-digit', minute: '2-digit' }).format(at);
  return sameDay ? time : `${new Intl.DateTimeFormat(lang, { weekday: 'long' }).format(at)} ${time}`;
}

/**
 * What a customer may expect of a queue, in plain words: closed (and when it opens), no analyst
 * online, or the estimated wait and who is free. The portal shows it for a new request, the
 * waiting room for the customer's place in the line.
 */
export function QueueOutlookText({ outlook, testId }: { outlook: QueueOutlook; testId: string }) {
  const { t, lang } = useI18n();
  const lines: Array<{ key: string; text: string }> = [];
  if (!outlook.open) {
    lines.push({ key: 'closed', text: outlook.opensAt ? t('outlook.closedUntil', { when: openingTime(outlook.opensAt, lang) }) : t('outlook.closed') });
  } else if (outlook.analystsOnline === 0) {
    lines.push({ key: 'noAnalyst', text: t('outlook.noAnalyst') });
  } else {
    const minutes = outlook.estimatedMinutes;
    if (minutes !== undefined) {
      lines.push({ key: 'estimate', text: minutes === 0 ? t('outlook.underMinute') : minutes === 1 ? t('outlook.oneMinute') : t('outlook.minutes', { minutes }) });
    }
    const free = outlook.analystsAvailable;
    lines.push({ key: 'team', text: free === 0 ? t('outlook.allBusy') : free === 1 ? t('outlook.oneAvailable') : t('outlook.available', { count: free }) });
  }
  return (
    <div class="outlook" data-testid={testId} data-open={String(outlook.open)} data-online={outlook.analystsOnline}
      data-available={outlook.analystsAvailable} data-minutes={outlook.estimatedMinutes ?? ''}>
      {lines.map((line) => <p key={line.key} data-line={line.key}>{line.text}</p>)}
    </div>
  );
}
