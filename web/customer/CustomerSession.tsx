import { useEffect, useState } from 'preact/hooks';
import { Notice, StreamVideo } from '../ui/components.js';
import { useI18n } from '../i18n/i18n.js';
import { SessionToolsPanel } from '../ui/SessionToolsPanel.js';
import { VerificationCode } from '../ui/VerificationCode.js';
import { ConnectionIndicator } from './ConnectionIndicator.js';
import { useSessionTools } from '../activity/use-session-tools.js';
import { PointerHighlight, RemoteControlPanel, useRemoteControl } from './RemoteControlPanel.js';
import type { CustomerTicket } from './use-customer-ticket.js';
import { logControlSteps } from '../activity/control-activity.js';
import { logSharing } from '../activity/sharing-activity.js';

/**
 * The preview of the shared screen starts once the session connection is first up, or after
 * PREVIEW_WAIT_MS: starting a video element costs the page's main thread ~30 ms, and in the first
 * hundred milliseconds of a session that thread carries the connection's candidates and answer
 * (measured: docs/benchmarks.md, first-frame). Shown once, it stays through reconnections.
 */
export const PREVIEW_WAIT_MS = 400;

function usePreviewReady(connected: boolean): boolean {
  const [ready, setReady] = useState(connected);
  useEffect(() => {
    if (ready) return;
    if (connected) return void setReady(true);
    const timer = setTimeout(() => setReady(true), PREVIEW_WAIT_MS);
    return () => clearTimeout(timer);
  }, [ready, connected]);
  return ready;
}

/** The live session, customer side: share or stop, always see what is shared, end at any moment. */
export function CustomerSession({ session, analyst }: { session: CustomerTicket; analyst: string }) {
  const { t } = useI18n();
  const sharing = session.screen !== null;
  const previewReady = usePreviewReady(session.peerConnected);
  const tools = useSessionTools(session.peer, { me: session.status?.name ?? '', peer: analyst }, 'tools.event.consented.customer', session.status?.ticketId ?? null);
  const control = useRemoteControl(session.peer, session.signaling, session.share, analyst);
  // Remote control's steps go to the activity log from the model, whichever panel is shown.
  useEffect(() => (control && tools ? logControlSteps(control, tools, analyst) : undefined), [control, tools, analyst]);
  // An alarm (verification.ts: someone may be in the middle) stops what could reach them at once.
  useEffect(() => tools?.verification.on('alarm', () => {
    session.stopSharing();
    control?.stop();
  }), [tools, control]);
  // So does every start and stop of the share.
  const share = session.share;
  useEffect(() => (share && tools ? logSharing(share, tools, 'customer', analyst) : undefined), [share, tools, analyst]);
  const problemKey = session.shareProblem === 'denied' ? 'session.shareDenied'
    : session.shareProblem === 'unsupported' ? 'session.shareUnsupported'
    : session.shareProblem === 'failed' ? 'session.shareFailed' : null;
  return (
    <section class="card session" data-testid="customer-session">
      <h1>{t('session.title', { analyst })}</h1>
      <p class="muted" data-testid="peer-state" data-connected={String(session.peerConnected)}>
        {session.peerConnected ? t('session.connected', { analyst }) : t('session.connecting', { analyst })}{' '}
        {session.peerConnected && <ConnectionIndicator peer={session.peer} />}
      </p>
      {!session.analystPresent && <Notice kind="info" testId="analyst-reconnecting">{t('session.analystReconnecting', { analyst })}</Notice>}
      {session.shareAgain && !sharing && <Notice kind="info" testId="share-again">{t('session.shareAgain', { analyst })}</Notice>}
      {sharing ? (
        <div class="sharing-banner" role="status" data-testid="sharing-indicator">
          <span class="dot" aria-hidden="true" /> {t('session.sharing', { analyst })}
        </div>
      ) : (
        <p>{t('session.notSharing')}</p>
      )}
      {session.peerConnected && <VerificationCode tools={tools} role="customer" peerName={analyst} onMismatch={() => session.endSession('codeMismatch')} />}
      {control && <RemoteControlPanel control={control} analyst={analyst} ticketId={session.status?.ticketId ?? null} screen={session.screen} />}
      {problemKey && <Notice kind="error">{t(problemKey)}</Notice>}
      {session.peerError && <Notice kind="error">{t('session.peerError', { detail: session.peerError })}</Notice>}
      <div class="actions">
        {sharing ? (
          <>
            <button type="button" class="secondary" onClick={session.stopSharing} data-testid="stop-share">
              {t('session.stopShare')}
            </button>
            <button type="button" class="secondary" onClick={() => void session.switchSharing()} data-testid="switch-share">
              {t('session.switch')}
            </button>
          </>
        ) : (
          <button type="button" class="primary" onClick={() => void session.startSharing()} data-testid="start-share">
            {t('session.share')}
          </button>
        )}
        <button type="button" class="danger" onClick={() => session.endSession()} data-testid="end-session">
          {t('session.end')}
        </button>
      </div>
      {!sharing && <p class="muted">{t('session.shareHint')}</p>}
      {sharing && (
        <figure class="preview">
          <div class="preview-frame">
            <StreamVideo stream={previewReady ? session.screen : null} muted label={t('session.preview', { analyst })} testId="local-preview" />
            <PointerHighlight control={control} analyst={analyst} />
          </div>
          <figcaption>{t('session.preview', { analyst })}</figcaption>
        </figure>
      )}
      {tools && <SessionToolsPanel tools={tools} role="customer" peerName={analyst} />}
    </section>
  );
}
