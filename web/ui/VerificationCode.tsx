import { useEffect, useState } from 'preact/hooks';
import { useI18n } from '../i18n/i18n.js';
import type { SessionConnection } from '../session/session-connection.js';
import type { SessionTools } from '../activity/session-tools.js';
import { negotiatedFingerprints } from '../session/stats.js';
import { verificationCode } from '../session/verification-code.js';

/**
 * Shows the code both people read aloud on the phone; the same code means no one is in the middle.
 * On a connection that replaced a lost one, a code that differs from the session's first is marked
 * as changed (and logged by `tools`).
 */
export function VerificationCode({ peer, tools }: { peer: SessionConnection | null; tools: SessionTools | null }) {
  const { t } = useI18n();
  const [code, setCode] = useState<{ value: string; changed: boolean } | null>(null);
  useEffect(() => {
    setCode(null);
    if (!peer) return;
    let stopped = false;
    const attempt = async () => {
      const pair = await negotiatedFingerprints(peer.connection).catch(() => null);
      if (stopped) return;
      if (!pair) return void setTimeout(attempt, 500); // DTLS not up yet
      const value = await verificationCode(pair);
      if (!stopped) setCode({ value, changed: tools?.noteCode(value) ?? false });
    };
    void attempt();
    return () => void (stopped = true);
  }, [peer, tools]);
  if (!code) return null;
  return (
    <p class={`verification${code.changed ? ' changed' : ''}`} data-testid="verification-code" data-code={code.value} data-changed={code.changed ? 'true' : undefined} role={code.changed ? 'alert' : undefined}>
      {t('verify.label')} <strong>{code.value}</strong>{' '}
      <span class="muted small">{code.changed ? t('verify.changed') : t('verify.hint')}</span>
    </p>
  );
}
