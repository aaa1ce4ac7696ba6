// The Relay Desk helper: lets the analyst use this computer's mouse and keyboard, only while the
// customer's support page allows it. It connects out to the support server with the pairing code
// shown in the page; it listens on nothing.
//
//   npm run helper -- --server https://support.example.com --code 123456
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Value } from '@sinclair/typebox/value';
import WebSocket from 'ws';
import { HELPER_CODE_PATTERN, HELPER_WS_PATH, PageToHelper, type HelperState, type ServerFrame } from '../protocol/index.js';
import { LibnutInjector, type Injector } from './injector.js';
import { PageLink } from './page-link.js';
import { CustomerPriority } from './priority.js';

const USAGE = 'Usage: npm run helper -- --server <https://support.example.com> --code <6 digits from the support page>';
const POLL_MS = 25;

function fail(message: string, code = 1): never {
  console.error(message);
  process.exit(code);
}

const { values } = parseArgs({
  options: { server: { type: 'string' }, code: { type: 'string' }, 'stats-file': { type: 'string' }, quiet: { type: 'boolean', default: false } },
});
if (!values.server || !values.code) fail(USAGE, 2);
const code = values.code.replace(/\D/g, '');
if (!HELPER_CODE_PATTERN.test(code)) fail('The pairing code is the 6 digits shown in the support page, e.g. 123456.', 2);
let serverUrl: URL;
try {
  serverUrl = new URL(values.server);
} catch {
  fail(`"${values.server}" is not a web address. ${USAGE}`, 2);
}
const say = (line: string) => values.quiet || console.log(line);

let injector: Injector;
try {
  injector = new LibnutInjector();
  injector.screen();
} catch (err) {
  fail(`Cannot reach the desktop to inject input (${(err as Error).message}). The helper needs an X11 session (DISPLAY set) with the XTEST extension (libxtst6).`);
}

const now = () => performance.timeOrigin + performance.now();
const priority = new CustomerPriority(now);
/** With --stats-file (benchmarks): [analyst timestamp, ms from the analyst's event to its injection]. */
const latencies: Array<[number, number]> = [];
let active = false;
let announcedSuspended = false;

const wsUrl = new URL(HELPER_WS_PATH, serverUrl);
wsUrl.protocol = serverUrl.protocol === 'https:' ? 'wss:' : 'ws:';
wsUrl.searchParams.set('code', code);
const socket = new WebSocket(wsUrl, { headers: { 'user-agent': 'relaydesk-helper' } });

const state = (s: HelperState['state']) => page.send({ k: 'state', state: s } satisfies HelperState);
const page = new PageLink({
  signal: (data) => socket.send(JSON.stringify({ type: 'helper.signal', data })),
  open: () => {
    say('Connected to the support page. Remote control starts only when you allow it there.');
    state('ready');
  },
  message: (text) => onPageMessage(text),
  close: () => stop('The support page closed the connection. Remote control is off.'),
});

function onPageMessage(text: string): void {
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch {
    return;
  }
  if (!Value.Check(PageToHelper, message)) return;
  if (message.k === 'control') {
    if (message.active !== active) {
      active = message.active;
      if (!active) injector.releaseAll();
      say(active
        ? '● Remote control is ACTIVE: your analyst can use your mouse and keyboard. Move your mouse to take over; press Ctrl+C here to stop.'
        : '○ Remote control is off.');
    }
    return;
  }
  // The page is the gate; the helper checks again, and the customer's own mouse always wins.
  if (!active || priority.suspended) return;
  const left = injector.inject(message);
  if (left) priority.injectedAt(left);
  if (values['stats-file']) latencies.push([message.ts, now() - message.ts]);
}

// Customer priority: poll the real pointer; any movement the helper did not make pauses control.
const poll = setInterval(() => {
  if (!active) return;
  if (priority.observe(injector.pointer()) && !announcedSuspended) {
    announcedSuspended = true;
    injector.releaseAll();
    state('suspended');
    say('You moved your mouse: remote control paused while you use it.');
  } else if (announcedSuspended && !priority.suspended) {
    announcedSuspended = false;
    state('resumed');
    say('● Remote control resumed.');
  }
}, POLL_MS);

socket.on('open', () => {
  say(`Paired with ${serverUrl.host}. Waiting for the support page…`);
  socket.send(JSON.stringify({ type: 'helper.hello', platform: `${process.platform}-x11`, screen: injector.screen() }));
});
socket.on('unexpected-response', (_req, res) => {
  if (res.statusCode === 401) fail('This pairing code is not valid or has expired. Ask for a new code in the support page and try again.', 2);
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

let stopped = false;
function stop(reason: string): void {
  if (stopped) return;
  stopped = true;
  active = false;
  clearInterval(poll);
  injector.releaseAll();
  state('stopped');
  page.close();
  if (socket.readyState === WebSocket.OPEN) socket.close(1000);
  if (values['stats-file']) writeFileSync(values['stats-file'], JSON.stringify({ samples: latencies }));
  say(reason);
  setTimeout(() => process.exit(0), 50);
}
process.on('SIGINT', () => stop('Stopped. Remote control is off.'));
process.on('SIGTERM', () => stop('Stopped. Remote control is off.'));
