import { useEffect, useState } from 'preact/hooks';
import { useI18n } from './i18n.js';
import type { PeerLink } from './peer-link.js';
import { verificationCode } from './verification-code.js';

/** Shows the code both people read aloud on the phone; the same code means no one is in the middle. */
export function VerificationCode({ peer }: { peer: PeerLink | null }) {
  const { t } = useI18n();
  const [code, setCode] = useState<string | null>(null);
  useEffect(() => {
    setCode(null);
    if (!peer) return;
    let stopped = false;
    const attempt = async () => {
      const pair = await negotiatedFingerprints(peer.connection).catch(() => null);
      if (stopped) return;
      if (pair) setCode(await verificationCode(pair));
      else setTimeout(attempt, 500); // DTLS not up yet
    };
    void attempt();
    return () => void (stopped = true);
  }, [peer]);
  if (!code) return null;
  return (
    <p class="verification" data-testid="verification-code" data-code={code}>
      {t('verify.label')} <strong>{code}</strong> <span class="muted small">{t('verify.hint')}</span>
    </p>
  );
}

/** The local and remote certificate fingerprints of the selected DTLS transport, from getStats. */
export async function negotiatedFingerprints(pc: RTCPeerConnection): Promise<[string, string] | null> {
  const report = await pc.getStats();
  let pair: [string, string] | null = null;
  report.forEach((entry) => {
    if (entry.type !== 'transport' || !entry.localCertificateId || !entry.remoteCertificateId) return;
    const local = report.get(entry.localCertificateId);
    const remote = report.get(entry.remoteCertificateId);
    if (local?.fingerprint && remote?.fingerprint) pair = [local.fingerprint, remote.fingerprint];
  });
  return pair;
}
