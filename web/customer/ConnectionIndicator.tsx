import { useEffect, useState } from 'preact/hooks';
import { useI18n } from '../i18n/i18n.js';
import type { SessionConnection } from '../session/session-connection.js';
import { readRoundTripMs } from '../session/stats.js';

type Level = 'good' | 'fair' | 'poor' | 'interrupted';

/**
 * A simple word for the customer: from the round trip of the connection in use, or "interrupted"
 * at once while its path does not answer (connectivity.ts), when the last round trip is stale.
 */
export function ConnectionIndicator({ peer }: { peer: SessionConnection | null }) {
  const { t } = useI18n();
  const [level, setLevel] = useState<Level | null>(null);
  useEffect(() => {
    if (!peer) return;
    const measure = async () => {
      if (peer.channels.interrupted) return setLevel('interrupted');
      const rttMs = await readRoundTripMs(peer.connection).catch(() => null);
      if (peer.channels.interrupted) return setLevel('interrupted');
      if (rttMs !== null) setLevel(rttMs < 150 ? 'good' : rttMs < 400 ? 'fair' : 'poor');
    };
    const timer = setInterval(() => void measure(), 2000);
    const off = peer.channels.onConnectivity(() => void measure());
    return () => {
      clearInterval(timer);
      off();
    };
  }, [peer]);
  if (!level) return null;
  return <span class={`quality-${level}`} data-testid="connection-indicator" data-level={level} role={level === 'interrupted' ? 'status' : undefined}>{t(`quality.${level}`)}</span>;
}
