import { useI18n, type StringKey } from '../i18n/i18n.js';
import type { SessionTools } from '../activity/session-tools.js';

/**
 * The code both people read aloud on the phone (worked out with a commitment: verification.ts), and
 * the step they take with it: "Does the other person read the same code?" Yes is logged on both
 * pages; No ends the session (`onMismatch`). An alarm (something only a man in the middle
 * explains) replaces everything else until the session ends.
 */
export function VerificationCode({ tools, role, peerName, onMismatch }: {
  tools: SessionTools | null;
  role: 'customer' | 'analyst';
  peerName: string;
  onMismatch: () => void;
}) {
  const { t } = useI18n();
  if (!tools) return null;
  const verification = tools.verification;
  const alarm = verification.alarm;
  if (alarm) {
    return (
      <div class="verification alarm" role="alert" data-testid="verify-alarm" data-reason={alarm.reason} data-from-peer={alarm.fromPeer ? 'true' : undefined}>
        <strong>{t('verify.alarm.title')}</strong>
        <p>{t(`tools.event.alarm.${alarm.reason}` as StringKey, { name: peerName })} {alarm.fromPeer && t('verify.alarm.fromPeer')}</p>
        <p>{t(`verify.alarm.action.${role}`)}</p>
        <button type="button" class="danger" onClick={onMismatch} data-testid="verify-alarm-end">{t('verify.no')}</button>
      </div>
    );
  }
  // Read by the session's tools from the connection (session-tools.ts); this only shows it.
  const code = tools.code;
  if (!code) return <p class="verification muted" data-testid="verification-pending">{t('verify.checking')}</p>;
  const confirmed = verification.confirmedByMe && verification.confirmedByPeer ? t('verify.confirmedBoth')
    : verification.confirmedByMe ? t('verify.confirmedMe')
    : verification.confirmedByPeer ? t('verify.confirmedPeer', { name: peerName }) : null;
  return (
    <div class={`verification${code.changed ? ' changed' : ''}`} data-testid="verification-code" data-code={code.value} data-changed={code.changed ? 'true' : undefined}
      data-confirmed={verification.confirmedByMe ? 'true' : undefined} data-peer-confirmed={verification.confirmedByPeer ? 'true' : undefined} role={code.changed ? 'alert' : undefined}>
      <p>
        {t('verify.label')} <strong>{code.value}</strong>{' '}
        <span class="muted small">{code.changed ? t('verify.changed') : t('verify.hint')}</span>
      </p>
      {!verification.confirmedByMe && (
        <p class="verify-question">
          <span id={`verify-q-${role}`}>{t('verify.question', { name: peerName })}</span>{' '}
          <button type="button" class="secondary" aria-describedby={`verify-q-${role}`} onClick={() => verification.confirm()} data-testid="verify-yes">{t('verify.yes')}</button>{' '}
          <button type="button" class="danger" aria-describedby={`verify-q-${role}`} onClick={onMismatch} data-testid="verify-no">{t('verify.no')}</button>
        </p>
      )}
      {confirmed && <p class="muted small" data-testid="verify-confirmed">{confirmed}</p>}
    </div>
  );
}
