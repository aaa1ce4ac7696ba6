import { useState } from 'preact/hooks';
import type { TicketStatus } from '../../protocol/index.js';
import { chime, soundSetting } from '../ui/chime.js';
import { QueueOutlookText } from '../ui/QueueOutlookText.js';
import { useI18n } from '../i18n/i18n.js';

const sound = soundSetting('customer');

export function WaitingRoom({ status, reconnecting, onCancel }: { status: TicketStatus | null; reconnecting: boolean; onCancel: () => void }) {
  const { t } = useI18n();
  const [soundOn, setSoundOn] = useState(sound.get());
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
      {status?.transfer && (
        <p class="notice notice-info" data-testid="handed-over">
          {status.transfer.toName
            ? t('wait.handedOverTo', { from: status.transfer.fromName, to: status.transfer.toName })
            : t('wait.handedOverQueue', { from: status.transfer.fromName, queue: status.transfer.queueName })}
        </p>
      )}
      {status?.outlook && <QueueOutlookText outlook={status.outlook} testId="waiting-outlook" />}
      {status?.outlook && !status.outlook.open && <p class="muted">{t('wait.closedKeepsPlace')}</p>}
      {reconnecting && <p class="muted">{t('wait.reconnecting')}</p>}
      <p class="muted">{t('wait.hint')}</p>
      <label class="check">
        <input type="checkbox" checked={soundOn} data-testid="customer-sound"
          onChange={(e) => {
            const on = (e.target as HTMLInputElement).checked;
            // The click is what lets the page make a sound later.
            if (on) chime.prime();
            sound.set(on);
            setSoundOn(on);
          }} />
        {t('wait.sound')}
      </label>
      <button type="button" class="secondary" onClick={onCancel} data-testid="cancel-ticket">
        {t('wait.cancel')}
      </button>
    </section>
  );
}
