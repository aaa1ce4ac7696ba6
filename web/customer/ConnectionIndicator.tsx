import { useEffect, useState } from 'preact/hooks';
import { useI18n } from '../shared/i18n.js';
import type { PeerLink } from '../shared/peer-link.js';

type Level = 'good' | 'fair' | 'poor';

/** A simple word for the customer, from the round trip of the connection in use. */
export function ConnectionIndicator({ peer }: { peer: PeerLink | null }) {
  const { t } = useI18n();
  const [level, setLevel] = useState<Level | null>(null);
  useEffect(() => {
    if (!peer) return;
    const timer = setInterval(async () => {
      const report = await peer.connection.getStats().catch(() => null);
      let rtt: number | null = null;
      report?.forEach((entry) => {
        if (entry.type === 'candidate-pair' && entry.nominated && typeof entry.currentRoundTripTime === 'number') rtt = entry.currentRoundTripTime;
      });
      if (rtt !== null) setLevel(rtt < 0.15 ? 'good' : rtt < 0.4 ? 'fair' : 'poor');
    }, 2000);
    return () => clearInterval(timer);
  }, [peer]);
  if (!level) return null;
  return <span class={`quality-${level}`} data-testid="connection-indicator" data-level={level}>{t(`quality.${level}`)}</span>;
}
