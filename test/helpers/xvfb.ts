import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';

/** A real X server (Debian's Xvfb) on a free display, kept alive between clients (-noreset). */
export async function startXvfb(width = 1280, height = 800): Promise<{ display: string; stop(): Promise<void> }> {
  let number = 90 + Math.floor(Math.random() * 100);
  while (existsSync(`/tmp/.X11-unix/X${number}`) || existsSync(`/tmp/.X${number}-lock`)) number += 1;
  const display = `:${number}`;
  const child = spawn('Xvfb', [display, '-screen', '0', `${width}x${height}x24`, '-noreset', '-nolisten', 'tcp'], { stdio: 'ignore' });
  const deadline = Date.now() + 10_000;
  while (!existsSync(`/tmp/.X11-unix/X${number}`)) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`Xvfb ${display} did not start`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return { display, stop: () => stopChild(child) };
}

export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
}

/** Where the X pointer is, from xdotool (independent of the helper under test). */
export function pointerAt(display: string): { x: number; y: number } {
  const out = execFileSync('xdotool', ['getmouselocation'], { env: { ...process.env, DISPLAY: display }, encoding: 'utf8' });
  const m = /x:(\d+) y:(\d+)/.exec(out);
  if (!m) throw new Error(`unexpected xdotool output: ${out}`);
  return { x: Number(m[1]), y: Number(m[2]) };
}

/** The customer moving their own mouse. */
export function moveLocalPointer(display: string, x: number, y: number): void {
  execFileSync('xdotool', ['mousemove', String(x), String(y)], { env: { ...process.env, DISPLAY: display } });
}

/** An X client that records what it receives (xev from x11-utils), in a window at the top left. */
export function startEventRecorder(display: string): { child: ChildProcess; output(): string } {
  let text = '';
  const child = spawn('xev', ['-geometry', '600x400+0+0', '-event', 'mouse', '-event', 'keyboard'], {
    env: { ...process.env, DISPLAY: display },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  child.stdout!.on('data', (chunk) => (text += chunk));
  return { child, output: () => text };
}
