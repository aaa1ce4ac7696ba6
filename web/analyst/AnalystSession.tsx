import { useEffect, useState } from 'preact/hooks';
import { logSharing, type SharingSource } from '../activity/sharing-activity.js';
import { Dialog, Notice, StreamVideo } from '../ui/components.js';
import { RemoteViewer, type ShortcutBus } from './RemoteViewer.js';
import { HandOverForm } from './HandOverForm.js';
import { SessionToolsPanel } from '../ui/SessionToolsPanel.js';
import { VerificationCode } from '../ui/VerificationCode.js';
import { useSessionTools } from '../activity/use-session-tools.js';
import { AnalystControlBar, RemoteScreen, useControlState } from './AnalystControl.js';
import { QUALITY_HISTORY, QualityPanel } from './QualityPanel.js';
import { SessionSummary } from './SessionSummary.js';
import { useI18n, type StringKey } from '../i18n/i18n.js';
import { readVideoStats, type VideoStats } from '../session/stats.js';
import type { SessionConnection } from '../session/session-connection.js';
import type { AnalystSessionInfo } from './use-analyst-console.js';

/** Polls getStats once a second while a picture is expected. */
function useVideoStats(peer: SessionConnection | null, active: boolean) {
  const [stats, setStats] = useState<{ current: VideoStats; previous: VideoStats | null; history: number[] } | null>(null);
  useEffect(() => {
    if (!peer || !active) return setStats(null);
    let stopped = false;
    const tick = async () => {
      try {
        const next = await readVideoStats(peer.connection);
        if (!stopped) {
          setStats((old) => ({
            current: next,
            previous: old?.current ?? null,
            history: [...(old?.history ?? []), next.fps].slice(-QUALITY_HISTORY),
          }));
        }
      } catch {
        // The connection closed between two polls.
      }
    };
    const timer = setInterval(tick, 1000);
    void tick();
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [peer, active]);
  return stats;
}

export function AnalystSession({ session, stream, peer, sharing, customerPresent, onEnd, onClose, onRoute, shortcuts, onHelp, onHandOver }: {
  session: AnalystSessionInfo;
  /** False while the customer's page is away (reconnecting): the session goes on. */
  customerPresent: boolean;
  sharing: SharingSource;
  stream: MediaStream | null;
  peer: SessionConnection | null;
  onEnd: (reason?: 'codeMismatch') => void;
  onClose: () => void;
  onRoute: (route: 'direct' | 'relay') => void;
  /** The console's keyboard shortcuts (release control, end the session, the viewer's). */
  shortcuts: ShortcutBus;
  onHelp: () => void;
  onHandOver: (target: { queue: string; analystId?: string }, note: string) => void;
}) {
  const [handingOver, setHandingOver] = useState(false);
  const { t } = useI18n();
  const [confirmEnd, setConfirmEnd] = useState(false);
  const name = session.ticket.name;
  const quality = useVideoStats(peer, session.state === 'live' && stream !== null);
  const stats = quality?.current ?? null;
  const ended = session.state === 'ended';
  const tools = useSessionTools(peer, { me: '', peer: name }, 'tools.event.consented.analyst', session.id);
  const control = useControlState(peer);
  const running = session.state !== 'ended';
  useEffect(() => shortcuts.on('action', (action) => {
    if (action === 'releaseControl' && peer && control !== 'off' && control !== 'refused') peer.channels.sendControl({ type: 'control.release' });
    // Ending is asked once more: a stray key must not hang up on a customer.
    if (action === 'endSession' && running) setConfirmEnd(true);
  }), [shortcuts, peer, control, running]);
  // The activity log follows the share from the session's state (use-analyst-console.ts).
  useEffect(() => (tools ? logSharing(sharing, tools, 'analyst', name) : undefined), [tools, sharing, name]);
  const route = stats?.route ? (stats.route === 'relay' ? 'relay' : 'direct') : null;
  useEffect(() => {
    if (route) onRoute(route);
  }, [route, session.id]);
  const endedKey = session.endReason === 'refused' ? 'analystSession.ended.refused' : (`ended.${session.endReason ?? 'unknown'}` as StringKey);
  const statusKey: StringKey = session.state === 'offered' ? 'analystSession.awaitingConsent'
    : session.state === 'consented' ? 'analystSession.consented' : 'analystSession.live';

  return (
    <section class="card session" data-testid="analyst-session" data-state={session.state}>
      <div class="session-head">
        <h2>{t('analystSession.title', { name })}</h2>
        {ended ? (
          <button type="button" class="primary" onClick={onClose} data-testid="back-to-queue">{t('analystSession.back')}</button>
        ) : (
          <span class="row">
            <button type="button" class="secondary" onClick={() => setHandingOver(true)} aria-expanded={handingOver} data-testid="hand-over">{t('handOver.open')}</button>
            <button type="button" class="danger" onClick={() => onEnd()} data-testid="analyst-end">{t('analystSession.end')}</button>
          </span>
        )}
      </div>
      {handingOver && !ended && (
        <HandOverForm currentQueue={session.ticket.queue} onCancel={() => setHandingOver(false)}
          onHandOver={(target, note) => {
            setHandingOver(false);
            onHandOver(target, note);
          }} />
      )}
      <p class="muted">
        {t('analystSession.contact')}: {[session.ticket.email, session.ticket.phone].filter(Boolean).join(' · ') || '—'}
      </p>
      {session.ticket.transfer && (
        <blockquote class="problem" data-testid="session-transfer">
          <span class="muted">{t('handOver.from', { name: session.ticket.transfer.fromName })}</span> {session.ticket.transfer.note}
        </blockquote>
      )}
      {session.ticket.problem && (
        <blockquote class="problem" data-testid="session-problem">
          <span class="muted">{t('analyst.problem')}</span> {session.ticket.problem}
        </blockquote>
      )}
      <p role="status" data-testid="session-status" data-end-reason={session.endReason ?? ''}>
        {ended ? t(endedKey, { name }) : t(statusKey, { name })}
      </p>
      {!ended && !customerPresent && <Notice kind="info" testId="customer-reconnecting">{t('analystSession.customerReconnecting', { name })}</Notice>}
      {!ended && (session.state === 'consented' || session.state === 'live') && <VerificationCode tools={tools} role="analyst" peerName={name} onMismatch={() => onEnd('codeMismatch')} />}
      {!ended && session.state === 'live' && (
        <>
          {peer && <AnalystControlBar peer={peer} state={control} name={name} />}
          <RemoteViewer shortcuts={shortcuts} onHelp={onHelp}>
            {peer ? (
              <RemoteScreen peer={peer} state={control} name={name}>
                <StreamVideo stream={stream} muted label={t('analystSession.live', { name })} testId="remote-screen" />
              </RemoteScreen>
            ) : (
              <StreamVideo stream={stream} muted label={t('analystSession.live', { name })} testId="remote-screen" />
            )}
          </RemoteViewer>
          {quality && peer && <QualityPanel stats={quality.current} previous={quality.previous} history={quality.history} peer={peer} />}
        </>
      )}
      {confirmEnd && running && (
        <Dialog title={t('shortcuts.endConfirm', { name })} labelId="end-confirm-title">
          <div class="actions" onKeyDown={(e) => e.key === 'Escape' && setConfirmEnd(false)}>
            <button type="button" class="danger" onClick={() => { setConfirmEnd(false); onEnd(); }} data-testid="end-confirm">{t('analystSession.end')}</button>
            <button type="button" class="secondary" onClick={() => setConfirmEnd(false)}>{t('shortcuts.cancel')}</button>
          </div>
        </Dialog>
      )}
      {ended && <SessionSummary name={name} startedAt={session.startedAt} endedAt={session.endedAt ?? Date.now()} tools={tools} rating={session.rating} />}
      {tools && <SessionToolsPanel tools={tools} role="analyst" peerName={name} readOnly={ended} />}
    </section>
  );
}
