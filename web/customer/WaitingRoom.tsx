import type { TicketStatus } from '../../protocol/index.js';
import { useI18n } from '../i18n/i18n.js';

export function WaitingRoom({ status, reconnecting, onCancel }: { status: TicketStatus | null; reconnecting: boolean; onCancel: () => void }) {
  const { t } = useI18n();
  return (
    <section class="card" data-testid="waiting-room" aria-live="polite">
      <h1>{t('wait.title')}</h1>
      {status ? (
        <p class="position" data-testid="queue-position" data-position={status.position}>
          {status.position === 1
            ? t('wait.next')
            : t('wait.position', { queue: status.queueName, position: status.position })}
        </p>
      ) : (
        <p>{t('wait.connecting')}</p>
      )}
      {reconnecting && <p class="muted">{t('wait.reconnecting')}</p>}
      <p class="muted">{t('wait.hint')}</p>
      <button type="button" class="secondary" onClick={onCancel} data-testid="cancel-ticket">
        {t('wait.cancel')}
      </button>
    </section>
  );
}
