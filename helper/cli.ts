// The Relay Desk helper: lets the analyst use this computer's mouse and keyboard, only while the
// customer's support page allows it. It connects out to the support server; it listens on nothing,
// installs nothing, and ends with remote control or the session.
//
// The customer runs the program their support page downloaded (npm run helper:build makes it): the
// page appended the pairing (server, code and a secret only the page and this helper know) to the
// file, so there is nothing to type. From the repository, or with a program downloaded elsewhere:
//
//   npm run helper -- --pairing ~/Downloads/relaydesk-pairing.json
//
// The pairing file (saved from the support page) holds the same three things; the helper deletes it
// once read (it works once). Scripts may pass --server, --code and --secret instead: that puts the
// secret on screen, so not for customers.
import { closeSync, existsSync, fstatSync, openSync, readFileSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { Value } from 'typebox/value';
import WebSocket from 'ws';
import {
  EMBEDDED_PAIRING_TAIL, HELPER_CODE_PATTERN, HELPER_SECRET_PATTERN, HELPER_WS_PATH, PAIRING_FILE_NAME, PageToHelper, PairingFile,
  readEmbeddedPairing, stripInvisible, type HelperState, type ServerFrame,
} from '../protocol/index.js';
import { LibnutInjector, type Injector } from './injector.js';
import { PageLink } from './page-link.js';
import { CustomerPriority } from './priority.js';
import { COMBO_KEYS } from './keymap.js';
import { LocalKeys, watchRawKeys } from './local-keys.js';
import { removeAddons, removeStaleAddons, singleFile } from './native.js';

const VERSION = process.env.RELAYDESK_HELPER_VERSION ?? 'development';
const USAGE = singleFile
  ? 'Download the helper again from your support page (Allow control, then Download the helper) and run the file it gives you.'
  : 'Usage: npm run helper -- --pairing <the relaydesk-pairing.json file saved from the support page>';
const POLL_MS = 25;
/** A console the customer opened by double-clicking (Windows): it closes with the program. */
const interactive = process.stdin.isTTY === true && process.stdout.isTTY === true;

/**
 * Ends the program. In a console window the customer opened (Windows closes it with the program),
 * a failure waits for Enter so they can read why; a normal end closes by itself after a moment.
 */
function exitWith(code: number): never {
  removeAddons();
  if (interactive && singleFile && process.platform === 'win32') {
    if (code === 0) {
      process.stdout.write('\nThis window closes in 5 seconds.');
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5000);
    } else {
      process.stdout.write('\nPress Enter to close this window.');
      try {
        readSync(0, Buffer.alloc(1), 0, 1, null);
      } catch {
        // no console to read from
      }
    }
  }
  process.exit(code);
}

function fail(message: string, code = 1): never {
  console.error(message);
  exitWith(code);
}

let values: ReturnType<typeof parse>['values'];
const parse = () => parseArgs({
  options: {
    pairing: { type: 'string' },
    server: { type: 'string' },
    code: { type: 'string' },
    secret: { type: 'string' },
    'stats-file': { type: 'string' },
    quiet: { type: 'boolean', default: false },
    version: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
try {
  values = parse().values;
} catch (err) {
  fail(`${(err as Error).message}\n${USAGE}`, 2);
}
if (values.version) {
  console.log(`relaydesk-helper ${VERSION} (node ${process.versions.node}, ${process.platform}-${process.arch}${singleFile ? ', single file' : ''})`);
  process.exit(0);
}
if (values.help) {
  console.log(`Relay Desk helper ${VERSION}: remote control for your support session.\n${USAGE}`);
  process.exit(0);
}

/** Text from the network printed in this console, without its control characters (no terminal escapes). */
const printable = (text: string) => stripInvisible(text).slice(0, 100);

/** The pairing this program's file carries, appended by the support page that downloaded it. */
function embeddedPairing(): unknown {
  if (!singleFile) return null;
  let fd: number | null = null;
  try {
    fd = openSync(process.execPath, 'r');
    const size = fstatSync(fd).size;
    const length = Math.min(size, EMBEDDED_PAIRING_TAIL);
    const tail = Buffer.alloc(length);
    readSync(fd, tail, 0, length, size - length);
    const text = readEmbeddedPairing(tail);
    return text === null ? null : JSON.parse(text);
  } catch {
    return null;
  } finally {
    if (fd !== null) closeSync(fd);
  }
}

/** The pairing: from the options, from this program's own file, or from a pairing file beside it. */
function readPairing(): { server: string; code: string; secret: string } {
  if (values.server || values.code || values.secret) {
    if (!values.server || !values.code || !values.secret) fail(USAGE, 2);
    return { server: values.server, code: values.code.replace(/\D/g, ''), secret: values.secret.trim().toLowerCase() };
  }
  const embedded = values.pairing ? null : embeddedPairing();
  if (embedded !== null) {
    if (!Value.Check(PairingFile, embedded)) fail(`This program's pairing is damaged. ${USAGE}`, 2);
    return embedded;
  }
  const file = values.pairing ?? [join(dirname(process.execPath), PAIRING_FILE_NAME), PAIRING_FILE_NAME].find((f) => singleFile && existsSync(f));
  if (!file) fail(`This program does not say which support session it is for. ${USAGE}`, 2);
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    fail(`Cannot read the pairing file ${file} (${(err as Error).message}). Save it again from the support page.`, 2);
  }
  if (!Value.Check(PairingFile, parsed)) fail(`${file} is not a Relay Desk pairing file. Save it again from the support page.`, 2);
  rmSync(file, { force: true }); // it works once; its secret should not linger on disk
  return parsed;
}

removeStaleAddons();
const pairing = readPairing();
const code = pairing.code;
if (!HELPER_CODE_PATTERN.test(code)) fail('The pairing code is the 6 digits shown in the support page, e.g. 123456.', 2);
if (!HELPER_SECRET_PATTERN.test(pairing.secret)) fail('The pairing secret is not valid. Save the pairing file again from the support page.', 2);
let serverUrl: URL;
try {
  serverUrl = new URL(pairing.server);
} catch {
  fail(`"${pairing.server}" is not a web address. ${USAGE}`, 2);
}
// Plain http only to this machine (tests, a local demo): anywhere else, the code and the relay would travel in clear.
const loopbackHost = ['localhost', '127.0.0.1', '[::1]'].includes(serverUrl.hostname) || /^127\./.test(serverUrl.hostname);
if (serverUrl.protocol !== 'https:' && !(serverUrl.protocol === 'http:' && loopbackHost)) {
  fail(`The support server must be reached over https (got ${serverUrl.protocol}//${serverUrl.host}). Save the pairing file again from the support page.`, 2);
}
const say = (line: string) => values.quiet || console.log(line);
say(`Relay Desk helper ${VERSION}: remote control for your support session at ${serverUrl.host}.`);

// Wayland lets no program inject input into other windows through X (XTEST reaches only the X
// programs XWayland runs): say so plainly rather than pretend.
const wayland = process.platform === 'linux' && (process.env.XDG_SESSION_TYPE === 'wayland' || !!process.env.WAYLAND_DISPLAY);
if (wayland && !process.env.DISPLAY) {
  fail('Your desktop uses Wayland, which does not let a program use the mouse and keyboard for you. Log out, choose an "Xorg" or "X11" session on the login screen, log in and run this program again; or let your analyst guide you with the pointer instead.');
}
if (wayland) say('Note: your desktop uses Wayland; remote control reaches only the programs that run on X11 (XWayland). If your analyst cannot click somewhere, log in with an "Xorg" session instead.');

let injector: Injector;
try {
  injector = new LibnutInjector();
  injector.screen();
} catch (err) {
  fail(process.platform === 'linux'
    ? `Cannot reach the desktop to inject input (${(err as Error).message}). The helper needs an X11 session (DISPLAY set) with the XTEST extension (libxtst6).`
    : `Cannot reach the desktop to inject input (${(err as Error).message}).`);
}

const now = () => performance.timeOrigin + performance.now();
const priority = new CustomerPriority(now);
const localKeys = new LocalKeys(now);
let active = false;
let wasActive = false;
let announcedSuspended = false;
// The customer's own keys pause control too, where X tells us of them (xinput's raw events).
let keyWatch: { stop(): void } | { unavailable: string } = { unavailable: 'not watched on this system' };
if (process.platform === 'linux') {
  void watchRawKeys(() => active && localKeys.rawPress() && priority.localKey()).then((watch) => {
    if (stopped && 'stop' in watch) return watch.stop();
    keyWatch = watch;
    if ('unavailable' in watch) say(`Your own typing will not pause remote control (${watch.unavailable}); moving your mouse will.`);
  });
} else {
  say('Your own typing will not pause remote control on this system; moving your mouse will.');
}
/** With --stats-file (benchmarks): [analyst timestamp, ms from the analyst's event to its injection]. */
const latencies: Array<[number, number]> = [];

const wsUrl = new URL(HELPER_WS_PATH, serverUrl);
wsUrl.protocol = serverUrl.protocol === 'https:' ? 'wss:' : 'ws:';
wsUrl.searchParams.set('code', code);
const socket = new WebSocket(wsUrl, { headers: { 'user-agent': `relaydesk-helper/${VERSION}` } });

const state = (s: HelperState['state']) => page.send({ k: 'state', state: s } satisfies HelperState);
const page = new PageLink({
  signal: (data) => socket.send(JSON.stringify({ type: 'helper.signal', data })),
  open: () => {
    say('Connected to your support page. Remote control starts only when you allow it there.');
    state('ready');
  },
  message: (text) => onPageMessage(text),
  close: () => stop('The support page closed the connection. Remote control is off.'),
  refused: () => stop('A connection that did not come from your support page was refused. Remote control is off: download the helper again from your support page.'),
}, { code, secret: pairing.secret });

function onPageMessage(text: string): void {
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    return;
  }
  if (!Value.Check(PageToHelper, message)) return;
  if (message.k === 'who') return void say(`Your analyst: ${printable(message.analyst)}.`);
  if (message.k === 'control') {
    if (message.active !== active) {
      active = message.active;
      // Control ended in the page (the customer's Stop, or the analyst released it): so does the helper.
      if (!active && wasActive) return stop('Remote control was stopped.');
      if (active) {
        wasActive = true;
        // Where the pointer is now is where the customer left it: any move from here is theirs, even
        // before the analyst's first move (an analyst who only types cannot dodge the customer's priority).
        priority.injectedAt(injector.pointer());
      }
      say(active
        ? `● Remote control is ACTIVE: your analyst can use your mouse and keyboard. Move your mouse to take over; ${interactive ? 'press S here' : 'use Stop control in your support page'} to stop.`
        : '○ Remote control is off.');
    }
    return;
  }
  // The page is the gate; the helper checks again, and the customer's own mouse always wins.
  if (!active || priority.suspended) return;
  if (message.k === 'key' && message.down) localKeys.injected(1);
  else if (message.k === 'combo') localKeys.injected(COMBO_KEYS[message.combo].length);
  const left = injector.inject(message);
  if (left) priority.injectedAt(left);
  if (values['stats-file']) latencies.push([message.ts, now() - message.ts]);
}

// Customer priority: poll the real pointer; any movement the helper did not make pauses control,
// as does a key the customer pressed (watched above).
const poll = setInterval(() => {
  if (!active) return;
  priority.observe(injector.pointer());
  if (priority.suspended && !announcedSuspended) {
    announcedSuspended = true;
    injector.releaseAll();
    state('suspended');
    say('You used your mouse or keyboard: remote control paused while you do.');
  } else if (announcedSuspended && !priority.suspended) {
    announcedSuspended = false;
    state('resumed');
    say('● Remote control resumed.');
  }
}, POLL_MS);

socket.on('open', () => {
  say('Paired with your support session. Waiting for the support page…');
  const platform = process.platform === 'win32' ? 'windows' : process.platform === 'darwin' ? 'macos' : wayland ? 'linux-wayland' : 'linux-x11';
  socket.send(JSON.stringify({ type: 'helper.hello', platform, screen: injector.screen() }));
});
socket.on('unexpected-response', (_req, res) => {
  if (res.statusCode === 401) {
    fail(singleFile
      ? 'This helper has expired or was already used (each download works once, for 5 minutes). In your support page, click Download the helper again and run the new file.'
      : 'This pairing code is not valid or has expired. Ask for a new code in the support page and try again.', 2);
  }
  if (res.statusCode === 429) fail('Too many pairing attempts. Wait a minute, then try again.', 2);
  fail(`The support server refused the connection (HTTP ${res.statusCode}).`);
});
socket.on('error', (err) => fail(`Cannot reach ${serverUrl.host}: ${err.message}`));
socket.on('message', (raw) => {
  let frame: ServerFrame;
  try {
    frame = JSON.parse(String(raw)) as ServerFrame;
  } catch {
    return;
  }
  if (frame.type === 'helper.signal') page.onSignal(frame.data);
  else if (frame.type === 'error') say(`Server: ${frame.message}`);
});
socket.on('close', (closeCode) => stop(closeCode === 4410 ? 'The support session ended. Remote control is off.' : 'Disconnected from the support server. Remote control is off.'));

// In a console: S (or Ctrl+C) stops control at once.
if (interactive) {
  say('Press S in this window to stop remote control at any time.');
  process.stdin.setRawMode(true);
  process.stdin.resume();
  process.stdin.on('data', (key: Buffer) => {
    const k = key.toString('utf8').toLowerCase();
    if (k === 's' || k === '\u0003' || k === 'q') stop('Stopped. Remote control is off.');
  });
}

let stopped = false;
function stop(reason: string): void {
  if (stopped) return;
  stopped = true;
  active = false;
  clearInterval(poll);
  if ('stop' in keyWatch) keyWatch.stop();
  injector.releaseAll();
  state('stopped');
  page.close();
  if (socket.readyState === WebSocket.OPEN) socket.close(1000);
  if (values['stats-file']) writeFileSync(values['stats-file'], JSON.stringify({ samples: latencies }));
  say(reason);
  if (interactive) process.stdin.setRawMode(false);
  setTimeout(() => exitWith(0), 50);
}
process.on('SIGINT', () => stop('Stopped. Remote control is off.'));
process.on('SIGTERM', () => stop('Stopped. Remote control is off.'));
