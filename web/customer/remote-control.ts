import type { InputEvent } from '../../protocol/index.js';
import type { PeerChannels } from '../session/peer-channels.js';
import type { SignalingClient } from '../session/signaling-client.js';
import { HelperLink, type HelperRefusal } from './helper-link.js';
import { Emitter } from '../emitter.js';
import { randomHex } from '../hex.js';

/** What control needs of the screen share (customer/screen-share.ts): control needs a whole screen. */
export interface ControlledScreen {
  readonly isWholeScreen: boolean;
  on(event: 'change', listener: () => void): () => void;
}

const randomSecret = () => randomHex(16);

// Remote control, customer side. The customer's page is the gate: input from the analyst reaches
// the helper only in state `active`, and "Stop control" closes the gate before anything else.
//
//   off ──request──▶ asked ──allow──▶ waitingHelper ──helper channel open──▶ active ⇄ suspended
//    ▲                 └──refuse──▶ off                                        │
//    └── stop (customer) / release (analyst) / session end / no whole screen ◀─┘
//
// Control is granted on a whole screen shared: when sharing stops, or switches to a window or a
// tab, control stops (the analyst would inject blind).

export type ControlState = 'off' | 'asked' | 'waitingHelper' | 'active' | 'suspended';

export interface RemoteControlView {
  state: ControlState;
  code: string | null;
  /** The pairing secret for the helper: saved in the pairing file, never shown. */
  secret: string | null;
  /** A helper was refused (it could not prove the secret, or was not on this computer). */
  refusedHelper: HelperRefusal | null;
  /** The last code was burned by wrong tries (someone may be guessing); this one replaces it. */
  codeBurned: boolean;
  codeExpiresAt: number | null;
  /** The token that lets this page download the helper while the code lives (the server's, not a secret of the pairing). */
  download: string | null;
  helperConnected: boolean;
  /** What the connected helper runs on (`linux-wayland`: it reaches only X11 programs). */
  helperPlatform: string | null;
  /** Last spot the analyst pointed at (guidance without the helper), with when. */
  pointer: { x: number; y: number; at: number } | null;
}

/** The steps the activity log records. */
export type ControlStep = 'asked' | 'granted' | 'refused' | 'active' | 'stopped' | 'stoppedNoScreen' | 'helperRefused' | 'codeBurned';

export class RemoteControl {
  view: RemoteControlView = { state: 'off', code: null, secret: null, refusedHelper: null, codeBurned: false, codeExpiresAt: null, download: null, helperConnected: false, helperPlatform: null, pointer: null };
  /** The analyst's name, which the helper shows the customer once it is connected. */
  analystName = '';
  private helper: HelperLink | null = null;
  private readonly events = new Emitter<{ change: []; step: [step: ControlStep] }>();
  private readonly offs: Array<() => void>;

  constructor(
    private readonly channels: PeerChannels,
    private readonly signaling: SignalingClient,
    private readonly screen: ControlledScreen | null = null,
    private readonly makeSecret: () => string = randomSecret,
  ) {
    this.offs = [
      screen?.on('change', () => {
        if (this.view.state !== 'off' && this.view.state !== 'asked' && !screen.isWholeScreen) this.stop('stoppedNoScreen');
      }) ?? (() => undefined),
      channels.onControl((message) => {
        if (message.type === 'control.request' && this.view.state === 'off') {
          this.set({ state: 'asked' });
          this.events.emit('step', 'asked');
        }
        else if (message.type === 'control.request') this.report(); // already asked or granted: say where it stands
        else if (message.type === 'control.release') this.stop();
        else if (message.type === 'pointer') this.set({ pointer: { x: message.x, y: message.y, at: Date.now() } });
      }),
      channels.onInput((event) => this.forward(event)),
      signaling.on('helper.code', (frame) => {
        // Burned (wrong codes were tried): the pairing file saved for the old code is useless; a new secret goes with the new code.
        if (frame.burned && this.view.state === 'waitingHelper') {
          this.events.emit('step', 'codeBurned');
          return this.set({ code: frame.code, codeExpiresAt: frame.expiresAt, download: frame.download, secret: this.makeSecret(), codeBurned: true });
        }
        this.set({ code: frame.code, codeExpiresAt: frame.expiresAt, download: frame.download, codeBurned: false });
      }),
      signaling.on('helper.status', (frame) => {
        this.set({ helperConnected: frame.connected, helperPlatform: frame.connected ? frame.platform ?? null : null });
        if (frame.connected && this.wantsHelper()) this.connectHelper();
        if (!frame.connected) this.dropHelper();
      }),
      signaling.on('helper.signal', (frame) => void this.helper?.onSignal(frame.data)),
    ];
  }

  onChange(listener: () => void): () => void {
    return this.events.on('change', listener);
  }

  /** Each step of control as it happens, for the session's activity log (control-activity.ts). */
  onStep(listener: (step: ControlStep) => void): () => void {
    return this.events.on('step', listener);
  }

  /** Control is granted only on a whole screen shared (coordinates map onto the desktop only then). */
  get mayAllow(): boolean {
    return this.screen === null || this.screen.isWholeScreen;
  }

  /** The customer's "Allow control" click: a pairing code and a fresh secret for the helper. */
  allow(): void {
    if (this.view.state !== 'asked' || !this.mayAllow) return;
    this.events.emit('step', 'granted');
    // The helper of an earlier grant is still here, and proved itself then: control at once.
    if (this.helper?.isOpen) return this.activate();
    this.set({ state: 'waitingHelper', secret: this.makeSecret(), refusedHelper: null });
    this.signaling.send({ type: 'helper.pair' });
  }

  refuse(): void {
    if (this.view.state !== 'asked') return;
    this.channels.sendControl({ type: 'control.state', state: 'refused' });
    this.events.emit('step', 'refused');
    this.set({ state: 'off' }, false);
  }

  /** A new pairing code and secret (the previous code expired unused, or a pairing file was lost). */
  newCode(): void {
    if (this.view.state !== 'waitingHelper') return;
    this.set({ secret: this.makeSecret() });
    this.signaling.send({ type: 'helper.pair' });
  }

  /** The customer's "Stop control" (or the share no longer shows a whole screen): the gate closes first, then everyone is told. */
  stop(step: 'stopped' | 'stoppedNoScreen' = 'stopped'): void {
    const before = this.view.state;
    if (before === 'off') return;
    this.set({ state: 'off', code: null, secret: null, codeExpiresAt: null, download: null });
    if (before !== 'asked') this.events.emit('step', step);
    this.helper?.send({ k: 'control', active: false });
  }

  dispose(): void {
    this.stop();
    this.dropHelper();
    this.offs.forEach((off) => off());
  }

  private wantsHelper(): boolean {
    return this.view.state === 'waitingHelper' || this.view.state === 'active' || this.view.state === 'suspended';
  }

  private forward(event: InputEvent): void {
    if (this.view.state !== 'active') return; // the gate
    this.helper?.send(event);
  }

  private connectHelper(): void {
    if (this.helper || !this.view.code || !this.view.secret) return;
    this.helper = new HelperLink((data) => this.signaling.send({ type: 'helper.signal', data }), {
      // Not the customer's helper: disconnect it at the server, and pair anew (a new code and secret).
      refused: (reason) => {
        this.events.emit('step', 'helperRefused');
        this.set({ refusedHelper: reason, secret: this.makeSecret() });
        this.signaling.send({ type: 'helper.pair', drop: true });
      },
      open: () => {
        this.helper?.send({ k: 'who', analyst: this.analystName });
        if (this.view.state === 'waitingHelper') this.activate();
      },
      state: (state) => {
        if (state === 'suspended' && this.view.state === 'active') this.set({ state: 'suspended' });
        else if (state === 'resumed' && this.view.state === 'suspended') this.set({ state: 'active' });
        else if (state === 'stopped') this.stop();
      },
      close: () => {
        this.helper = null;
        if (this.view.state === 'active' || this.view.state === 'suspended') this.set({ state: 'waitingHelper' });
      },
    }, { code: this.view.code, secret: this.view.secret });
  }

  private activate(): void {
    this.set({ state: 'active', code: null, secret: null, codeExpiresAt: null, download: null });
    this.events.emit('step', 'active');
    this.helper?.send({ k: 'control', active: true });
  }

  private dropHelper(): void {
    const helper = this.helper;
    this.helper = null;
    helper?.close();
  }

  private set(patch: Partial<RemoteControlView>, report = true): void {
    const before = this.view.state;
    this.view = { ...this.view, ...patch };
    if (report && this.view.state !== before) this.report();
    this.events.emit('change');
  }

  private report(): void {
    this.channels.sendControl({ type: 'control.state', state: this.view.state });
  }
}
