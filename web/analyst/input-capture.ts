import type { InputEvent } from '../../protocol/index.js';
import { normalisedPoint, wheelSteps } from './video-geometry.js';
import { ModifierGate } from './modifier-gate.js';
import { COMMAND_KEYS } from './shortcuts.js';

const BUTTONS = ['left', 'middle', 'right'] as const;
/** The analyst's clock, comparable with the helper's (same epoch), for latency measurement. */
const stamp = () => performance.timeOrigin + performance.now();

/**
 * Turns pointer, wheel and keyboard events on the shared video into input events for the customer's
 * desktop. Keys are captured only while the video has focus (click it first), and every captured
 * key is kept from the analyst's own page.
 */
export function captureInput(frame: HTMLElement, video: HTMLVideoElement, send: (event: InputEvent) => void): () => void {
  // Modifiers wait for what they go with: a console shortcut (Alt+Shift+R…) stays in the console.
  const keys = new ModifierGate((code, down) => send({ k: 'key', code, down, ts: stamp() }));
  const point = (event: MouseEvent) =>
    normalisedPoint({ x: event.clientX, y: event.clientY }, video.getBoundingClientRect(), { width: video.videoWidth, height: video.videoHeight });
  let lastMove = 0;
  let lastScreen = { x: NaN, y: NaN };
  const onMove = (event: PointerEvent) => {
    // The page moved under a still pointer (a log line, a notice): the browser sends a move, but
    // the analyst did not move; the customer's pointer must not jump.
    if (event.screenX === lastScreen.x && event.screenY === lastScreen.y) return;
    const at = point(event);
    // At most one move per ~8 ms: plenty for a cursor, and it keeps the channel quiet.
    if (!at || event.timeStamp - lastMove < 8) return;
    lastMove = event.timeStamp;
    lastScreen = { x: event.screenX, y: event.screenY };
    send({ k: 'move', ...at, ts: stamp() });
  };
  const onButton = (down: boolean) => (event: PointerEvent) => {
    const at = point(event);
    const button = BUTTONS[event.button];
    if (!at || !button) return;
    event.preventDefault();
    // Without scrolling: a page that scrolls under the pointer would move the customer's pointer too.
    if (down) frame.focus({ preventScroll: true });
    keys.flush();
    send({ k: 'move', ...at, ts: stamp() });
    send({ k: 'button', button, down, ts: stamp() });
  };
  const onWheel = (event: WheelEvent) => {
    if (!point(event)) return;
    event.preventDefault();
    keys.flush();
    send({ k: 'wheel', dx: wheelSteps(event.deltaX, event.deltaMode), dy: wheelSteps(event.deltaY, event.deltaMode), ts: stamp() });
  };
  const onKey = (down: boolean) => (event: KeyboardEvent) => {
    if (!/^[A-Za-z0-9]{1,24}$/.test(event.code)) return;
    event.preventDefault();
    if (event.repeat && !down) return;
    if (down) keys.keyDown(event.code, event.altKey && event.shiftKey && !event.ctrlKey && !event.metaKey && event.code in COMMAND_KEYS);
    else keys.keyUp(event.code);
  };
  const noMenu = (event: Event) => event.preventDefault();
  const down = onButton(true);
  const up = onButton(false);
  const keyDown = onKey(true);
  const keyUp = onKey(false);
  frame.addEventListener('pointermove', onMove);
  frame.addEventListener('pointerdown', down);
  frame.addEventListener('pointerup', up);
  frame.addEventListener('wheel', onWheel, { passive: false });
  frame.addEventListener('keydown', keyDown);
  frame.addEventListener('keyup', keyUp);
  frame.addEventListener('contextmenu', noMenu);
  return () => {
    frame.removeEventListener('pointermove', onMove);
    frame.removeEventListener('pointerdown', down);
    frame.removeEventListener('pointerup', up);
    frame.removeEventListener('wheel', onWheel);
    frame.removeEventListener('keydown', keyDown);
    frame.removeEventListener('keyup', keyUp);
    frame.removeEventListener('contextmenu', noMenu);
  };
}

/** Without control: a click points at a spot on the customer's preview. */
export function capturePointing(frame: HTMLElement, video: HTMLVideoElement, point: (at: { x: number; y: number }) => void): () => void {
  const onClick = (event: MouseEvent) => {
    const at = normalisedPoint({ x: event.clientX, y: event.clientY }, video.getBoundingClientRect(), { width: video.videoWidth, height: video.videoHeight });
    if (at) point(at);
  };
  frame.addEventListener('click', onClick);
  return () => frame.removeEventListener('click', onClick);
}
