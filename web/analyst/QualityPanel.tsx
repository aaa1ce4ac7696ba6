import { useEffect, useRef } from 'preact/hooks';
import { useI18n } from '../i18n/i18n.js';
import type { SessionConnection } from '../session/session-connection.js';
import { rates, type VideoStats } from '../session/stats.js';

const HISTORY = 60;

/** Resolution, fps, bitrate, round trip, loss and route, every second, with a one-minute fps chart. */
export function QualityPanel({ stats, previous, history, peer }: { stats: VideoStats; previous: VideoStats | null; history: number[]; peer: SessionConnection }) {
  const { t } = useI18n();
  const canvas = useRef<HTMLCanvasElement>(null);
  const { kbps, lossPercent } = rates(previous, stats);
  useEffect(() => {
    const ctx = canvas.current?.getContext('2d');
    if (!ctx || !canvas.current) return;
    const { width, height } = canvas.current;
    ctx.clearRect(0, 0, width, height);
    const max = Math.max(30, ...history);
    ctx.strokeStyle = '#1f5fd1';
    ctx.lineWidth = 2;
    ctx.beginPath();
    history.forEach((fps, i) => {
      const x = (i / (HISTORY - 1)) * width;
      const y = height - (fps / max) * (height - 4) - 2;
      if (i === 0) ctx.moveTo(x, y);
      else ctx.lineTo(x, y);
    });
    ctx.stroke();
  }, [history]);
  const route = stats.route === 'relay'
    ? `${t('analystSession.route.relay')} (${(stats.relayProtocol ?? '').toUpperCase()})`
    : t('analystSession.route.direct');
  return (
    <div class="quality" aria-labelledby="quality-title">
      <span id="quality-title" class="visually-hidden">{t('quality.title')}</span>
      <p class="muted stats" data-testid="video-stats" data-frames-decoded={stats.framesDecoded} data-frame-width={stats.frameWidth}
        data-route={stats.route ?? ''} data-relay-protocol={stats.relayProtocol ?? ''} data-kbps={Math.round(kbps)}>
        {t('quality.details', {
          width: stats.frameWidth,
          height: stats.frameHeight,
          fps: Math.round(stats.fps),
          kbps: Math.round(kbps),
          rtt: stats.rttMs === null ? '–' : Math.round(stats.rttMs),
          loss: lossPercent.toFixed(1),
          route,
        })}
      </p>
      <canvas ref={canvas} width={240} height={40} class="sparkline" aria-hidden="true" />
      <span class="row compact" role="group" aria-label={t('quality.mode')}>
        <button type="button" class="secondary" onClick={() => peer.channels.sendControl({ type: 'quality.mode', mode: 'sharper' })}>{t('quality.sharper')}</button>
        <button type="button" class="secondary" onClick={() => peer.channels.sendControl({ type: 'quality.mode', mode: 'smoother' })}>{t('quality.smoother')}</button>
      </span>
    </div>
  );
}

export const QUALITY_HISTORY = HISTORY;
