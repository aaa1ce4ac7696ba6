import { useI18n } from '../i18n/i18n.js';
import type { TicketAlertsState } from './use-ticket-alerts.js';

/** How the console tells the analyst about new requests while it is in the background. */
export function AlertsPanel({ alerts }: { alerts: TicketAlertsState }) {
  const { t } = useI18n();
  const { notifications } = alerts;
  return (
    <section class="card" aria-labelledby="alerts-title" data-testid="alerts-panel" data-notifications={notifications}>
      <h2 id="alerts-title">{t('alerts.title')}</h2>
      {notifications === 'default' && !alerts.declined && (
        <div data-testid="notifications-offer">
          <p>{t('alerts.explain')}</p>
          <div class="actions">
            <button type="button" class="primary" onClick={() => void alerts.askNotifications()} data-testid="notifications-on">{t('alerts.turnOn')}</button>
            <button type="button" class="secondary" onClick={alerts.decline}>{t('alerts.notNow')}</button>
          </div>
        </div>
      )}
      {notifications === 'default' && alerts.declined && (
        <p class="muted">{t('alerts.off')} <button type="button" class="link-button" onClick={() => void alerts.askNotifications()}>{t('alerts.turnOn')}</button></p>
      )}
      {notifications === 'granted' && <p class="muted" data-testid="notifications-state">{t('alerts.on')}</p>}
      {notifications === 'denied' && <p class="muted" data-testid="notifications-state">{t('alerts.blocked')}</p>}
      {notifications === 'unsupported' && <p class="muted">{t('alerts.unsupported')}</p>}
      <label class="check">
        <input type="checkbox" checked={alerts.sound} onChange={(e) => alerts.setSound((e.target as HTMLInputElement).checked)} data-testid="analyst-sound" />
        {t('alerts.sound')}
      </label>
    </section>
  );
}
