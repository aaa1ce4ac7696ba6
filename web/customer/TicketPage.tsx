import { useEffect } from 'preact/hooks';
import { Notice } from '../ui/components.js';
import { chime, soundSetting } from '../ui/chime.js';
import { useI18n } from '../i18n/i18n.js';
import { ConsentDialog } from './ConsentDialog.js';
import { CustomerSession } from './CustomerSession.js';
import { EndedScreen } from './EndedScreen.js';
import { useCustomerTicket } from './use-customer-ticket.js';
import { WaitingRoom } from './WaitingRoom.js';

/** /s/<token>: the customer's ticket, from the queue to the end of the session. */
export function TicketPage({ token }: { token: string }) {
  const { t, err } = useI18n();
  const session = useCustomerTicket(token);
  const analyst = session.status?.analystName ?? '';
  const reconnecting = session.socket === 'closed' && session.phase !== 'ended';

  // A customer who switched tabs while waiting sees the tab call them back to the consent dialog,
  // and hears it if they turned the sound on.
  const offered = session.phase === 'offered';
  useEffect(() => {
    if (!offered) return;
    const before = document.title;
    document.title = t('consent.title', { analyst });
    if (soundSetting('customer').get()) chime.play();
    return () => {
      document.title = before;
    };
  }, [offered]);

  switch (session.phase) {
    case 'checking':
      return session.error ? <Notice kind="error">{err(session.error)}</Notice> : <p aria-busy="true">{t('wait.connecting')}</p>;
    case 'invalid':
      return (
        <section class="card" data-testid="invalid-link">
          <Notice kind="error">{err('token.invalid')}</Notice>
          <a class="button primary" href="/">{t('ended.again')}</a>
        </section>
      );
    case 'waiting':
      return <WaitingRoom status={session.status} reconnecting={reconnecting} onCancel={session.cancel} />;
    case 'offered':
      return (
        <section class="card" data-testid="consent-step">
          <h1>{t('consent.title', { analyst })}</h1>
          {session.status?.transfer && <p data-testid="consent-handed-over">{t('consent.handedOver', { from: session.status.transfer.fromName, analyst })}</p>}
          <ConsentDialog analyst={analyst} onAnswer={session.answerConsent} />
        </section>
      );
    case 'session':
      return <CustomerSession session={session} analyst={analyst} />;
    case 'ended':
      return <EndedScreen reason={session.endReason} ratingToken={session.status?.ratingToken} />;
    case 'replaced':
      return (
        <section class="card" data-testid="replaced">
          <Notice kind="info">{t('replaced.customer')}</Notice>
          <button type="button" class="primary" onClick={session.takeOver} data-testid="use-this-tab">{t('replaced.useHere')}</button>
        </section>
      );
  }
}
