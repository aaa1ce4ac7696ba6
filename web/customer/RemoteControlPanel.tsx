import { useEffect, useMemo, useReducer, useRef, useState } from 'preact/hooks';
import { Dialog } from '../ui/components.js';
import { saveBlob } from '../ui/save-blob.js';
import { useI18n } from '../i18n/i18n.js';
import type { SessionConnection } from '../session/session-connection.js';
import type { SignalingClient } from '../session/signaling-client.js';
import { openControlIndicator, type ControlIndicator } from './control-indicator.js';
import { PAIRING_FILE_NAME, type HelperDownloads, type HelperPlatform, type PairingFile } from '../../protocol/index.js';
import { downloadHelper, HelperDownloadError, helperDownloads, isHelperPlatform, thisSystem } from './helper-download.js';
import { RemoteControl, type ControlledScreen } from './remote-control.js';

/** One RemoteControl per session connection, re-rendering on every change. */
export function useRemoteControl(peer: SessionConnection | null, signaling: SignalingClient | null, screen: ControlledScreen | null, analyst = ''): RemoteControl | null {
  const [control, setControl] = useState<RemoteControl | null>(null);
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  useEffect(() => {
    if (!peer || !signaling) return setControl(null);
    const created = new RemoteControl(peer.channels, signaling, screen);
    const off = created.onChange(() => rerender(0));
    setControl(created);
    return () => {
      off();
      created.dispose();
    };
  }, [peer, signaling, screen]);
  if (control) control.analystName = analyst;
  return control;
}

/** Saves the pairing file (the helper reads it): the secret reaches the helper without ever being on screen. */
function savePairingFile(code: string, secret: string): void {
  const file: PairingFile = { kind: 'relaydesk-pairing', server: location.origin, code, secret };
  saveBlob(new Blob([JSON.stringify(file, null, 2)], { type: 'application/json' }), PAIRING_FILE_NAME);
}

export function RemoteControlPanel({ control, analyst, ticketId }: { control: RemoteControl; analyst: string; ticketId: string | null; screen?: MediaStream | null }) {
  const { t } = useI18n();
  const { state, code, secret, refusedHelper, codeBurned } = control.view;
  const indicator = useRef<ControlIndicator | null>(null);
  const previous = useRef(state);

  // The always-on-top window closes when control ends (the activity log follows the model itself).
  useEffect(() => {
    const before = previous.current;
    previous.current = state;
    if (before === state) return;
    if (state === 'off') {
      indicator.current?.close();
      indicator.current = null;
    } else {
      indicator.current?.update(state === 'suspended' ? t('control.suspended', { analyst }) : t('control.active', { analyst }));
    }
  }, [state]);
  useEffect(() => () => indicator.current?.close(), []);

  const allow = async () => {
    control.allow();
    // Inside the click: the one moment the browser lets a page open an always-on-top window.
    indicator.current = await openControlIndicator(t('control.active', { analyst }), t('control.stop'), () => control.stop());
  };

  if (state === 'off') return null;
  if (state === 'asked') {
    return (
      <Dialog title={t('control.askTitle', { analyst })} labelId="control-title">
        <p>{t('control.askBody')}</p>
        {!control.mayAllow && <p class="field-error">{t('control.needScreen')}</p>}
        <div class="actions">
          <button type="button" class="primary" onClick={() => void allow()} disabled={!control.mayAllow} data-testid="control-allow">{t('control.allow')}</button>
          <button type="button" class="secondary" onClick={() => control.refuse()} data-testid="control-refuse">{t('control.refuse')}</button>
        </div>
      </Dialog>
    );
  }
  if (state === 'waitingHelper') {
    const command = `npm run helper -- --pairing ~/Downloads/${PAIRING_FILE_NAME}`;
    return (
      <section class="panel control" data-testid="control-waiting" aria-labelledby="control-heading">
        <h3 id="control-heading">{t('control.title')}</h3>
        {codeBurned && <p class="field-error" role="alert" data-testid="code-burned">{t('control.codeBurned')}</p>}
        {refusedHelper && <p class="field-error" role="alert" data-testid="helper-refused" data-reason={refusedHelper}>{t(`control.refusedHelper.${refusedHelper}`)}</p>}
        <HelperDownload control={control} analyst={analyst} ticketId={ticketId} />
        <p class="muted small" aria-live="polite">{t('control.waiting')}</p>
        <details class="other-ways">
          <summary>{t('control.otherWays')}</summary>
          <p class="muted small">{t('control.needHelper', { analyst })}</p>
          <div class="actions compact">
            <button type="button" class="secondary" disabled={!code || !secret} onClick={() => code && secret && savePairingFile(code, secret)} data-testid="save-pairing">{t('control.saveFile')}</button>
          </div>
          <p class="muted small">{t('control.fileHint')}</p>
          <label for="helper-command">{t('control.command')}</label>
          <input id="helper-command" readOnly value={command} onFocus={(e) => (e.target as HTMLInputElement).select()} />
          <p class="muted small">{t('control.codeLabel')} <span class="pairing-code" data-testid="pairing-code" aria-live="polite">{code ? `${code.slice(0, 3)} ${code.slice(3)}` : '…'}</span></p>
          <p class="muted small">{t('control.codeExpires')}</p>
          <div class="actions compact">
            <button type="button" class="secondary" onClick={() => control.newCode()}>{t('control.newCode')}</button>
          </div>
        </details>
        <div class="actions compact">
          <button type="button" class="secondary" onClick={() => control.stop()}>{t('control.cancel')}</button>
        </div>
      </section>
    );
  }
  return (
    <>
      <div class={`control-banner ${state}`} role="status" data-testid="control-indicator" data-state={state}>
        <span class="dot" aria-hidden="true" /> {state === 'suspended' ? t('control.suspended', { analyst }) : t('control.active', { analyst })}
        <button type="button" class="danger" onClick={() => control.stop()} data-testid="stop-control">{t('control.stop')}</button>
      </div>
      {control.view.helperPlatform === 'linux-wayland' && <p class="muted small" role="note" data-testid="helper-wayland">{t('control.wayland', { analyst })}</p>}
    </>
  );
}

const megabytes = (bytes: number) => Math.max(1, Math.round(bytes / 1e6));

/**
 * The one button of remote control: the helper for this computer, downloaded with this session's
 * pairing in it (helper-download.ts), then how to start it. Another system can be chosen.
 */
function HelperDownload({ control, analyst, ticketId }: { control: RemoteControl; analyst: string; ticketId: string | null }) {
  const { t, err } = useI18n();
  const { code, secret, download } = control.view;
  const system = useMemo(thisSystem, []);
  const [available, setAvailable] = useState<HelperDownloads['platforms'] | null>(null);
  const [chosen, setChosen] = useState<HelperPlatform | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [saved, setSaved] = useState<{ platform: HelperPlatform; name: string; code: string } | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const abort = useRef<AbortController | null>(null);
  useEffect(() => {
    void helperDownloads().then(setAvailable);
    return () => abort.current?.abort();
  }, []);
  const platform = chosen ?? (isHelperPlatform(system) ? system : null);
  const entry = available?.find((p) => p.platform === platform);
  const ready = !!entry && !!code && !!secret && !!download && !!ticketId && progress === null;

  const start = async () => {
    if (!entry || !platform || !code || !secret || !download || !ticketId) return;
    setProblem(null);
    setProgress(0);
    abort.current = new AbortController();
    try {
      const pairing: PairingFile = { kind: 'relaydesk-pairing', server: location.origin, code, secret };
      const file = await downloadHelper({ platform, ticketId, token: download, pairing, size: entry.size, onProgress: setProgress, signal: abort.current.signal });
      saveBlob(file.blob, file.name);
      setSaved({ platform, name: file.name, code });
    } catch (e) {
      if ((e as Error).name === 'AbortError') return;
      const failure = e instanceof HelperDownloadError ? e.code : 'network';
      setProblem(err(failure));
      // A spent or expired code: the next click downloads with a new one.
      if (failure === 'helper.downloadExpired') control.newCode();
    } finally {
      setProgress(null);
    }
  };

  const others = (available ?? []).filter((p) => p.platform !== platform && isHelperPlatform(p.platform));
  // The file saved carries the code it was made with: a newer code (expired, burned, refused) needs a new file.
  const stale = saved !== null && saved.code !== code;
  const linuxCommand = saved ? `chmod +x ./${saved.name} && ./${saved.name}` : '';
  return (
    <div class="helper-download" data-testid="helper-download" data-platform={platform ?? system}>
      {available === null ? <p class="muted small">…</p> : !platform ? (
        <p data-testid="helper-unavailable">{t(system === 'macos' ? 'control.noHelperMac' : 'control.noHelperOther', { analyst })}</p>
      ) : !entry ? (
        <p data-testid="helper-unavailable">{t('control.notBuiltHere')}</p>
      ) : (
        <>
          <p>{t('control.downloadHint', { analyst })}</p>
          <div class="actions compact">
            <button type="button" class="primary" disabled={!ready} onClick={() => void start()} data-testid="download-helper">
              {t(saved && !stale ? 'control.downloadAgain' : 'control.download', { system: t(`control.system.${platform}`), size: t('control.megabytes', { n: megabytes(entry.transfer) }) })}
            </button>
          </div>
          {progress !== null && (
            <p class="muted small" role="status" data-testid="helper-progress">
              <progress max={1} value={progress} aria-label={t('control.downloading', { percent: Math.round(progress * 100) })} /> {t('control.downloading', { percent: Math.round(progress * 100) })}
            </p>
          )}
        </>
      )}
      {problem && <p class="field-error" role="alert" data-testid="helper-download-error">{problem}</p>}
      {saved && !stale && (
        <div class="helper-run" data-testid="helper-run">
          <p>{t(saved.platform === 'win-x64' ? 'control.runWindows' : 'control.runLinux', { file: saved.name })}</p>
          {saved.platform === 'linux-x64' && (
            <input readOnly value={linuxCommand} aria-label={t('control.command')} onFocus={(e) => (e.target as HTMLInputElement).select()} data-testid="linux-command" />
          )}
          <p class="muted small">{t('control.runHint')}</p>
        </div>
      )}
      {stale && <p class="field-error" role="alert" data-testid="helper-stale">{t('control.downloadStale')}</p>}
      {others.length > 0 && (
        <details class="other-systems">
          <summary>{t('control.otherSystem')}</summary>
          <div class="actions compact">
            {others.map((p) => (
              <button type="button" class="secondary" key={p.platform} onClick={() => setChosen(p.platform as HelperPlatform)} data-testid={`choose-${p.platform}`}>
                {t(`control.system.${p.platform as HelperPlatform}`)}
              </button>
            ))}
          </div>
        </details>
      )}
    </div>
  );
}

/** The analyst's pointing, shown over the customer's preview for a few seconds. */
export function PointerHighlight({ control, analyst }: { control: RemoteControl | null; analyst: string }) {
  const { t } = useI18n();
  const [, tick] = useReducer((n: number) => n + 1, 0);
  const ref = useRef<HTMLSpanElement>(null);
  const pointer = control?.view.pointer;
  useEffect(() => {
    if (!pointer) return;
    const timer = setTimeout(tick, 3000, 0);
    return () => clearTimeout(timer);
  }, [pointer?.at]);
  // Set through the CSSOM: the strict CSP forbids inline style attributes.
  useEffect(() => {
    if (!ref.current || !pointer) return;
    ref.current.style.left = `${pointer.x * 100}%`;
    ref.current.style.top = `${pointer.y * 100}%`;
  });
  if (!pointer || Date.now() - pointer.at > 3000) return null;
  return <span ref={ref} class="pointer-highlight" data-testid="pointer-highlight" role="img" aria-label={t('control.pointerHint', { analyst })} />;
}
