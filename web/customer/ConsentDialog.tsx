import { Dialog } from '../ui/components.js';
import { useI18n } from '../i18n/i18n.js';

/** Nothing reaches the customer's machine, and nothing leaves it, before this "Allow". */
export function ConsentDialog({ analyst, onAnswer }: { analyst: string; onAnswer: (allow: boolean) => void }) {
  const { t } = useI18n();
  return (
    <Dialog title={t('consent.title', { analyst })} labelId="consent-title">
      <p>{t('consent.body', { analyst })}</p>
      <p class="muted">{t('consent.nothingYet')}</p>
      <div class="actions">
        <button type="button" class="primary" onClick={() => onAnswer(true)} data-testid="consent-allow">
          {t('consent.allow')}
        </button>
        <button type="button" class="secondary" onClick={() => onAnswer(false)} data-testid="consent-refuse">
          {t('consent.refuse')}
        </button>
      </div>
    </Dialog>
  );
}
