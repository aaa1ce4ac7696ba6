import type { ControlStep, RemoteControl } from '../customer/remote-control.js';
import type { StringKey } from '../i18n/i18n.js';
import type { SessionTools } from './session-tools.js';

const ENTRY: Record<ControlStep, StringKey> = {
  asked: 'tools.event.control.asked',
  granted: 'tools.event.control.granted',
  refused: 'tools.event.control.refused',
  active: 'tools.event.control.active',
  stopped: 'tools.event.control.stopped',
  stoppedNoScreen: 'tools.event.control.stoppedNoScreen',
  helperRefused: 'tools.event.control.helperRefused',
  codeBurned: 'tools.event.control.codeBurned',
};

/**
 * The customer's activity log follows remote control from the model (remote-control.ts): every
 * step, whichever panel is on screen. Returns the unsubscribe.
 */
export function logControlSteps(control: RemoteControl, tools: SessionTools, analyst: string): () => void {
  return control.onStep((step) => tools.addEvent(ENTRY[step], { name: analyst }));
}
