import type { EndReason } from '../../protocol/index.js';
import { useI18n, type StringKey } from '../i18n/i18n.js';
import { RatingForm } from './RatingForm.js';

export function EndedScreen({ reason, ratingToken }: { reason: EndReason | null; ratingToken?: string }) {
  const { t } = useI18n();
  const key = (reason ? `ended.${reason}` : 'ended.unknown') as StringKey;
  return (
    <section class="card" data-testid="ended" data-reason={reason ?? 'unknown'}>
      <h1>{t('ended.title')}</h1>
      <p>{t(key)}</p>
      {ratingToken && <RatingForm token={ratingToken} />}
      <p class="muted">{t('ended.nothingKept')}</p>
      <a class="button primary" href="/">
        {t('ended.again')}
      </a>
    </section>
  );
}
