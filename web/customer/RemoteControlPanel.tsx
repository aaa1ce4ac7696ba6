import { useEffect, useReducer, useRef, useState } from 'preact/hooks';
import { Dialog } from '../ui/components.js';
import { saveBlob } from '../ui/save-blob.js';
import { useI18n } from '../i18n/i18n.js';
import type { SessionConnection } from '../session/session-connection.js';
import type { SignalingClient } from '../session/signaling-client.js';
import { openControlIndicator, type ControlIndicator } from './control-indicator.js';
import { PAIRING_FILE_NAME, type PairingFile } from '../../protocol/index.js';
import { RemoteControl, type ControlledScreen } from './remote-control.js';

/** One RemoteControl per session connection, re-rendering on every change. */
export function useRemoteControl(peer: SessionConnection | null, signaling: SignalingClient | null, screen: ControlledScreen | null): RemoteControl | null {
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
  return control;
}

/** Saves the pairing file (the helper reads it): the secret reaches the helper without ever being on screen. */
function savePairingFile(code: string, secret: string): void {
  const file: PairingFile = { kind: 'relaydesk-pairing', server: location.origin, code, secret };
  saveBlob(new Blob([JSON.stringify(file, null, 2)], { type: 'application/json' }), PAIRING_FILE_NAME);
}

export function RemoteControlPanel({ control, analyst }: { control: RemoteControl; analyst: string; screen?: MediaStream | null }) {
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
        <p>{t('control.needHelper', { analyst })}</p>
        <div class="actions compact">
          <button type="button" class="primary" disabled={!code || !secret} onClick={() => code && secret && savePairingFile(code, secret)} data-testid="save-pairing">{t('control.saveFile')}</button>
        </div>
        <p class="muted small">{t('control.fileHint')}</p>
        <label for="helper-command">{t('control.command')}</label>
        <input id="helper-command" readOnly value={command} onFocus={(e) => (e.target as HTMLInputElement).select()} />
        <p class="muted small">{t('control.codeLabel')} <span class="pairing-code" data-testid="pairing-code" aria-live="polite">{code ? `${code.slice(0, 3)} ${code.slice(3)}` : '…'}</span></p>
        <p class="muted small">{t('control.codeExpires')} {t('control.waiting')}</p>
        <div class="actions compact">
          <button type="button" class="secondary" onClick={() => control.newCode()}>{t('control.newCode')}</button>
          <button type="button" class="secondary" onClick={() => control.stop()}>{t('control.cancel')}</button>
        </div>
      </section>
    );
  }
  return (
    <div class={`control-banner ${state}`} role="status" data-testid="control-indicator" data-state={state}>
      <span class="dot" aria-hidden="true" /> {state === 'suspended' ? t('control.suspended', { analyst }) : t('control.active', { analyst })}
      <button type="button" class="danger" onClick={() => control.stop()} data-testid="stop-control">{t('control.stop')}</button>
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
