import { useEffect, useRef, useState } from 'preact/hooks';
import { COMBOS, type Combo, type PeerMessageOf } from '../../protocol/index.js';
import { useI18n, type StringKey } from '../i18n/i18n.js';
import type { SessionConnection } from '../session/session-connection.js';
import { capturePointing, captureInput } from './input-capture.js';

export type AnalystControlState = PeerMessageOf<'control.state'>['state'];

/** Follows what the customer's page says about remote control. */
export function useControlState(peer: SessionConnection | null): AnalystControlState {
  const [state, setState] = useState<AnalystControlState>('off');
  useEffect(() => {
    // A new link after a lost one starts without control: the customer is asked again.
    setState('off');
    if (!peer) return;
    return peer.channels.onControl((message) => {
      if (message.type === 'control.state') setState(message.state);
    });
  }, [peer]);
  return state;
}

/** Requests and releases control; sends the key combos the analyst's own OS would swallow. */
export function AnalystControlBar({ peer, state, name }: { peer: SessionConnection; state: AnalystControlState; name: string }) {
  const { t } = useI18n();
  const [combo, setCombo] = useState<Combo>('ctrlAltDelete');
  const controlling = state === 'active' || state === 'suspended';
  return (
    <div class="control-bar" data-testid="analyst-control" data-state={state}>
      {controlling || state === 'waitingHelper' || state === 'asked' ? (
        <button type="button" class="secondary" onClick={() => peer.channels.sendControl({ type: 'control.release' })} data-testid="release-control">{t('analystControl.release')}</button>
      ) : (
        <button type="button" class="primary" onClick={() => peer.channels.sendControl({ type: 'control.request' })} data-testid="request-control">{t('analystControl.request')}</button>
      )}
      <span role="status" data-testid="control-status">{t(`analystControl.state.${state}` as StringKey, { name })}</span>
      {state === 'active' && (
        <span class="row">
          <label class="visually-hidden" for="combo">{t('analystControl.combo')}</label>
          <select id="combo" value={combo} onChange={(e) => setCombo((e.target as HTMLSelectElement).value as Combo)}>
            {COMBOS.map((c) => <option key={c} value={c}>{t(`analystControl.combo.${c}` as StringKey)}</option>)}
          </select>
          <button type="button" class="secondary" onClick={() => peer.channels.sendInput({ k: 'combo', combo, ts: performance.timeOrigin + performance.now() })}>
            {t('analystControl.send')}
          </button>
        </span>
      )}
    </div>
  );
}

/** The shared picture: with control it captures input, without it a click points. */
export function RemoteScreen({ peer, state, children, name }: { peer: SessionConnection; state: AnalystControlState; children: preact.ComponentChildren; name: string }) {
  const { t } = useI18n();
  const frame = useRef<HTMLDivElement>(null);
  const active = state === 'active';
  useEffect(() => {
    const video = frame.current?.querySelector('video');
    if (!frame.current || !video) return;
    return active
      ? captureInput(frame.current, video, (event) => peer.channels.sendInput(event))
      : capturePointing(frame.current, video, (at) => peer.channels.sendControl({ type: 'pointer', ...at }));
  }, [peer, active]);
  return (
    <div ref={frame} class={`remote-screen${active ? ' controlling' : ''}`} tabIndex={0} data-testid="remote-frame"
      aria-label={active ? t('analystControl.state.active', { name }) : t('analystControl.pointHint', { name })}>
      {children}
    </div>
  );
}
