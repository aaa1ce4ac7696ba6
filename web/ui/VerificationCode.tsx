import { useI18n } from '../i18n/i18n.js';
import type { SessionTools } from '../activity/session-tools.js';

/**
 * Shows the code both people read aloud on the phone; the same code means no one is in the middle.
 * On a connection that replaced a lost one, a code that differs from the session's first is marked
 * as changed (and logged by `tools`).
 */
export function VerificationCode({ tools }: { tools: SessionTools | null }) {
  const { t } = useI18n();
  // Read by the session's tools from the connection (session-tools.ts); this only shows it.
  const code = tools?.code ?? null;
  if (!code) return null;
  return (
    <p class={`verification${code.changed ? ' changed' : ''}`} data-testid="verification-code" data-code={code.value} data-changed={code.changed ? 'true' : undefined} role={code.changed ? 'alert' : undefined}>
      {t('verify.label')} <strong>{code.value}</strong>{' '}
      <span class="muted small">{code.changed ? t('verify.changed') : t('verify.hint')}</span>
    </p>
  );
}
