import t from 'tap';
import { SessionTools } from '../../../../web/activity/session-tools.js';
import type { SessionConnection } from '../../../../web/session/session-connection.js';
import { PeerChannels } from '../../../../web/session/peer-channels.js';
import { FakePeerConnection } from '../../../fakes/webrtc.js';
import { until } from '../../../helpers/until.js';

// The session's tools (chat, pushed links, the log, the verification code) on a fake connection:
// real PeerChannels over fake data channels, and a getStats that reports the DTLS certificates.
function connection(fingerprints: [string, string], remoteRole: 'customer' | 'analyst' = 'customer') {
  const pc = new FakePeerConnection();
  const channels = new PeerChannels(pc as never, remoteRole);
  const report = new Map<string, Record<string, unknown>>([
    ['T', { type: 'transport', localCertificateId: 'C1', remoteCertificateId: 'C2' }],
    ['C1', { type: 'certificate', fingerprint: fingerprints[0] }],
    ['C2', { type: 'certificate', fingerprint: fingerprints[1] }],
  ]);
  let dtlsUp = false;
  const fakeConnection = {
    channels,
    isClosed: false,
    connection: { getStats: async () => (dtlsUp ? report : new Map()) },
  } as unknown as SessionConnection;
  return {
    pc,
    session: fakeConnection,
    open: () => {
      for (const label of ['control', 'file', 'input']) pc.channel(label).open();
      dtlsUp = true;
    },
  };
}

t.test('chat both ways, unread counts, pushed links checked on arrival', async (t) => {
  const first = connection(['AA', 'BB']);
  first.open();
  const tools = new SessionTools(first.session, { me: 'Alice', peer: 'Ann' });
  t.teardown(() => tools.dispose('sessionEnded'));
  t.ok(tools.sendChat('  hello  '));
  t.match(JSON.parse(String(first.pc.channel('control').sent.at(-1))), { type: 'chat', text: 'hello' }, 'trimmed, on the control channel');
  t.notOk(tools.sendChat('   '), 'an empty message is not sent');
  first.pc.channel('control').receive(JSON.stringify({ type: 'chat', id: 'c1', text: 'hi Alice', sentAt: 1 }));
  t.equal(tools.unread, 1);
  tools.markRead();
  t.equal(tools.unread, 0);
  t.same(tools.timeline.filter((e) => e.kind === 'chat').map((e) => e.kind === 'chat' && `${e.from}:${e.text}`), ['me:hello', 'peer:hi Alice']);
  t.equal(tools.pushUrl('javascript:alert(1)'), 'scheme', 'a dangerous pushed link is refused before sending');
});

t.test('the verification code is read from the connection; a different code on a new connection is marked and logged once', async (t) => {
  const first = connection(['AA', 'BB']);
  const tools = new SessionTools(first.session, { me: 'Alice', peer: 'Ann' });
  t.teardown(() => tools.dispose('sessionEnded'));
  t.equal(tools.code, null, 'nothing before DTLS is up');
  first.open();
  await until('the verification code', () => tools.code !== null, 2000);
  const original = tools.code!;
  t.match(original.value, /^\d{3} \d{3}$/);
  t.equal(original.changed, false);

  const same = connection(['AA', 'BB']);
  same.open();
  tools.attach(same.session);
  await until('the verification code', () => tools.code !== null, 2000);
  t.same(tools.code, original, 'the same certificates on a new connection: the same code, not marked');

  const other = connection(['AA', 'EVIL']);
  other.open();
  tools.attach(other.session);
  await until('the verification code', () => tools.code !== null, 2000);
  t.equal(tools.code?.changed, true, 'a man in the middle shows as a changed code');
  const logged = () => tools.timeline.filter((e) => e.kind === 'event' && e.key === 'tools.event.codeChanged').length;
  t.equal(logged(), 1);
  const again = connection(['AA', 'EVIL']);
  again.open();
  tools.attach(again.session);
  await until('the verification code', () => tools.code !== null, 2000);
  t.equal(logged(), 1, 'the same changed code is logged once');
  await until('the new connection in the log', () => tools.timeline.some((e) => e.kind === 'event' && e.key === 'tools.event.relinked'), 2000);
  t.pass('a new connection is logged as such');
});
