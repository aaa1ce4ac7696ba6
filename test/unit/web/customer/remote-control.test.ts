import t from 'tap';
import { RemoteControl, type ControlledScreen } from '../../../../web/customer/remote-control.js';
import { isLoopbackCandidate, keepLoopbackCandidates } from '../../../../web/customer/helper-link.js';
import { Emitter } from '../../../../web/emitter.js';
import { PeerChannels } from '../../../../web/session/peer-channels.js';
import { SignalingClient } from '../../../../web/session/signaling-client.js';
import { FakePeerConnection } from '../../../fakes/webrtc.js';

class Screen implements ControlledScreen {
  isWholeScreen = true;
  readonly events = new Emitter<{ change: [] }>();
  on(event: 'change', listener: () => void) {
    return this.events.on(event, listener);
  }
}

function control(screen = new Screen()) {
  const pc = new FakePeerConnection();
  const channels = new PeerChannels(pc as never, 'analyst');
  for (const label of ['control', 'file', 'input']) pc.channel(label).open();
  const sent: unknown[] = [];
  const socket = { readyState: 1, send: (raw: string) => sent.push(JSON.parse(raw)), close: () => undefined, onopen: null, onmessage: null, onclose: null };
  const signaling = new SignalingClient('', { openSocket: () => socket });
  signaling.connect();
  (socket as unknown as { onopen: () => void }).onopen?.();
  const remote = new RemoteControl(channels, signaling, screen, () => 'ab'.repeat(16));
  const steps: string[] = [];
  remote.onStep((step) => steps.push(step));
  const ask = () => pc.channel('control').receive(JSON.stringify({ type: 'control.request' }));
  const deliver = (frame: object) => (socket as unknown as { onmessage: (event: { data: string }) => void }).onmessage({ data: JSON.stringify(frame) });
  return { remote, screen, steps, ask, sent, deliver };
}

t.test('allow needs a whole screen; it makes a pairing secret and asks for a code', async (t) => {
  const screen = new Screen();
  screen.isWholeScreen = false;
  const { remote, ask, sent, steps } = control(screen);
  ask();
  remote.allow();
  t.equal(remote.view.state, 'asked', 'a window or a tab: not allowed');
  screen.isWholeScreen = true;
  remote.allow();
  t.equal(remote.view.state, 'waitingHelper');
  t.equal(remote.view.secret, 'ab'.repeat(16));
  t.match(sent, [{ type: 'helper.pair' }]);
  t.same(steps, ['asked', 'granted']);
});

t.test('control stops when the share stops or turns into a window, and says why', async (t) => {
  const { remote, screen, ask, steps } = control();
  ask();
  remote.allow();
  screen.events.emit('change'); // still a whole screen (a switch to another screen)
  t.equal(remote.view.state, 'waitingHelper');
  screen.isWholeScreen = false;
  screen.events.emit('change');
  t.equal(remote.view.state, 'off');
  t.equal(remote.view.secret, null, 'the secret goes with it');
  t.same(steps, ['asked', 'granted', 'stoppedNoScreen']);
});

t.test('only loopback candidates reach the helper connection', async (t) => {
  t.ok(isLoopbackCandidate('candidate:1 1 UDP 2122252543 127.0.0.1 40000 typ host'));
  t.ok(isLoopbackCandidate('a=candidate:1 1 UDP 2122252543 ::1 40000 typ host'));
  t.notOk(isLoopbackCandidate('candidate:1 1 UDP 2122252543 203.0.113.9 40000 typ host'), 'a public address');
  t.notOk(isLoopbackCandidate('candidate:1 1 UDP 2122252543 192.168.1.20 40000 typ host'), 'the LAN');
  t.notOk(isLoopbackCandidate('candidate:1 1 UDP 2122252543 4b2d8e1c.local 40000 typ host'), 'an mDNS name');
  const sdp = ['v=0', 'm=application 9 UDP/DTLS/SCTP webrtc-datachannel', 'a=candidate:1 1 UDP 1 127.0.0.1 40000 typ host', 'a=candidate:2 1 UDP 1 203.0.113.9 40001 typ host', 'a=mid:0'].join('\r\n');
  t.equal(keepLoopbackCandidates(sdp), ['v=0', 'm=application 9 UDP/DTLS/SCTP webrtc-datachannel', 'a=candidate:1 1 UDP 1 127.0.0.1 40000 typ host', 'a=mid:0'].join('\r\n'));
});

t.test('a burned code is replaced with a new secret, and the customer is told', async (t) => {
  const { remote, ask, deliver, steps } = control();
  ask();
  remote.allow();
  deliver({ type: 'helper.code', code: '111111', expiresAt: 1, download: '1'.repeat(32) });
  t.same([remote.view.code, remote.view.codeBurned], ['111111', false]);
  let secrets = 0;
  (remote as unknown as { makeSecret: () => string }).makeSecret = () => `${++secrets}`.padStart(32, 'c');
  deliver({ type: 'helper.code', code: '222222', expiresAt: 2, download: '2'.repeat(32), burned: true });
  t.same([remote.view.code, remote.view.codeBurned], ['222222', true]);
  t.equal(remote.view.secret, '1'.padStart(32, 'c'), 'a new secret: the file saved for the old code is useless');
  t.equal(steps.at(-1), 'codeBurned');
  t.equal(remote.view.download, '2'.repeat(32), 'the download token follows the code');
});

t.test('the code brings its download token; the helper says what it runs on; stopping forgets the token', async (t) => {
  const { remote, ask, deliver } = control();
  ask();
  remote.allow();
  deliver({ type: 'helper.code', code: '333333', expiresAt: 3, download: 'd'.repeat(32) });
  t.equal(remote.view.download, 'd'.repeat(32));
  deliver({ type: 'helper.status', connected: true, platform: 'linux-wayland', screen: { width: 800, height: 600 } });
  t.equal(remote.view.helperPlatform, 'linux-wayland', 'the page can warn about Wayland');
  deliver({ type: 'helper.status', connected: false });
  t.equal(remote.view.helperPlatform, null);
  remote.stop();
  t.same([remote.view.download, remote.view.code], [null, null]);
});
