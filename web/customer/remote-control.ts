import type { InputEvent } from '../../protocol/index.js';
import type { PeerChannels } from '../session/peer-channels.js';
import type { SignalingClient } from '../session/signaling-client.js';
import { HelperLink } from './helper-link.js';
import { Emitter } from '../emitter.js';

// Remote control, customer side. The customer's page is the gate: input from the analyst reaches
// the helper only in state `active`, and "Stop control" closes the gate before anything else.
//
//   off ──request──▶ asked ──allow──▶ waitingHelper ──helper channel open──▶ active ⇄ suspended
//    ▲                 └──refuse──▶ off                                        │
//    └────────────── stop (customer) / release (analyst) / session end ◀───────┘

export type ControlState = 'off' | 'asked' | 'waitingHelper' | 'active' | 'suspended';

export interface RemoteControlView {
  state: ControlState;
  code: string | null;
  codeExpiresAt: number | null;
  helperConnected: boolean;
  /** Last spot the analyst pointed at (guidance without the helper), with when. */
  pointer: { x: number; y: number; at: number } | null;
}

/** The steps the activity log records. */
export type ControlStep = 'asked' | 'granted' | 'refused' | 'active' | 'stopped';

export class RemoteControl {
  view: RemoteControlView = { state: 'off', code: null, codeExpiresAt: null, helperConnected: false, pointer: null };
  private helper: HelperLink | null = null;
  private readonly events = new Emitter<{ change: []; step: [step: ControlStep] }>();
  private readonly offs: Array<() => void>;

  constructor(private readonly channels: PeerChannels, private readonly signaling: SignalingClient) {
    this.offs = [
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
      signaling.on('helper.code', (frame) => this.set({ code: frame.code, codeExpiresAt: frame.expiresAt })),
      signaling.on('helper.status', (frame) => {
        this.set({ helperConnected: frame.connected });
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

  /** The customer's "Allow control" click. */
  allow(): void {
    if (this.view.state !== 'asked') return;
    this.events.emit('step', 'granted');
    this.set({ state: 'waitingHelper' });
    if (this.view.helperConnected) this.connectHelper();
    else this.signaling.send({ type: 'helper.pair' });
  }

  refuse(): void {
    if (this.view.state !== 'asked') return;
    this.channels.sendControl({ type: 'control.state', state: 'refused' });
    this.events.emit('step', 'refused');
    this.set({ state: 'off' }, false);
  }

  /** A new pairing code (the previous one expired unused). */
  newCode(): void {
    if (this.view.state === 'waitingHelper') this.signaling.send({ type: 'helper.pair' });
  }

  /** The customer's "Stop control": the gate closes first, then everyone is told. */
  stop(): void {
    const before = this.view.state;
    if (before === 'off') return;
    this.set({ state: 'off', code: null, codeExpiresAt: null });
    if (before !== 'asked') this.events.emit('step', 'stopped');
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
    if (this.helper) return;
    this.helper = new HelperLink((data) => this.signaling.send({ type: 'helper.signal', data }), {
      open: () => {
        if (this.view.state !== 'waitingHelper') return;
        this.set({ state: 'active', code: null, codeExpiresAt: null });
        this.events.emit('step', 'active');
        this.helper?.send({ k: 'control', active: true });
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
    });
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
