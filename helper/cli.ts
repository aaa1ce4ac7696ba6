// The Relay Desk helper: lets the analyst use this computer's mouse and keyboard, only while the
// customer's support page allows it. It connects out to the support server with the pairing code
// shown in the page; it listens on nothing.
//
//   npm run helper -- --pairing ~/Downloads/relaydesk-pairing.json
//
// The pairing file (saved from the support page) holds the server, the code and a secret that only
// the page and this helper know; the helper deletes it once read (it works once). Scripts may pass
// --server, --code and --secret instead: that puts the secret on screen, so not for customers.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { Value } from 'typebox/value';
import WebSocket from 'ws';
import { HELPER_CODE_PATTERN, HELPER_SECRET_PATTERN, HELPER_WS_PATH, PageToHelper, PairingFile, type HelperState, type ServerFrame } from '../protocol/index.js';
import { LibnutInjector, type Injector } from './injector.js';
import { PageLink } from './page-link.js';
import { CustomerPriority } from './priority.js';
import { COMBO_KEYS } from './keymap.js';
import { LocalKeys, watchRawKeys } from './local-keys.js';

const USAGE = 'Usage: npm run helper -- --pairing <the relaydesk-pairing.json file saved from the support page>';
const POLL_MS = 25;

function fail(message: string, code = 1): never {
  console.error(message);
  process.exit(code);
}

const { values } = parseArgs({
  options: {
    pairing: { type: 'string' },
    server: { type: 'string' },
    code: { type: 'string' },
    secret: { type: 'string' },
    'stats-file': { type: 'string' },
    quiet: { type: 'boolean', default: false },
  },
});

/** The pairing, from the file (deleted once read) or from the three options. */
function readPairing(): { server: string; code: string; secret: string } {
  if (values.pairing) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(values.pairing, 'utf8'));
    } catch (err) {
      fail(`Cannot read the pairing file ${values.pairing} (${(err as Error).message}). Save it again from the support page.`, 2);
    }
    if (!Value.Check(PairingFile, parsed)) fail(`${values.pairing} is not a Relay Desk pairing file. Save it again from the support page.`, 2);
    rmSync(values.pairing, { force: true }); // it works once; its secret should not linger on disk
    return parsed;
  }
  if (!values.server || !values.code || !values.secret) fail(USAGE, 2);
  return { server: values.server, code: values.code.replace(/\D/g, ''), secret: values.secret.trim().toLowerCase() };
}
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

let injector: Injector;
try {
  injector = new LibnutInjector();
  injector.screen();
} catch (err) {
  fail(`Cannot reach the desktop to inject input (${(err as Error).message}). The helper needs an X11 session (DISPLAY set) with the XTEST extension (libxtst6).`);
}

const now = () => performance.timeOrigin + performance.now();
const priority = new CustomerPriority(now);
const localKeys = new LocalKeys(now);
// The customer's own keys pause control too, where X tells us of them (xinput's raw events).
const keyWatch = await watchRawKeys(() => active && localKeys.rawPress() && priority.localKey());
if ('unavailable' in keyWatch) say(`Your own typing will not pause remote control (${keyWatch.unavailable}); moving your mouse will.`);
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
  refused: () => stop('A connection that did not come from your support page was refused. Remote control is off: save a new pairing file from the support page.'),
}, { code, secret: pairing.secret });

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
      // Where the pointer is now is where the customer left it: any move from here is theirs, even
      // before the analyst's first move (an analyst who only types cannot dodge the customer's priority).
      else priority.injectedAt(injector.pointer());
      say(active
        ? '● Remote control is ACTIVE: your analyst can use your mouse and keyboard. Move your mouse to take over; press Ctrl+C here to stop.'
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
  if ('stop' in keyWatch) keyWatch.stop();
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
