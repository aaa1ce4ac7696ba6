import t from 'tap';
import type { IceConfig } from '../../../../protocol/index.js';
import { FILE_CONNECTION_RETRIES, FileConnection, fileConnectionTransition } from '../../../../web/files/file-connection.js';
import { PeerChannels } from '../../../../web/session/peer-channels.js';
import { FakeNegotiatingConnection, FakePeerConnection, joinChannels } from '../../../fakes/webrtc.js';
import { until } from '../../../helpers/until.js';

const ICE: IceConfig = { iceServers: [{ urls: ['turn:turn.example:3478'], username: 'u1', credential: 'c1' }], iceTransportPolicy: 'all' };
const settle = () => new Promise((resolve) => setTimeout(resolve, 5));

/** Both pages of a session: their session connections' channels joined, a FileConnection on each, every file connection made recorded. */
function session(options: { badFirstAnswer?: boolean } = {}) {
  const [customerPc, analystPc] = [new FakePeerConnection(), new FakePeerConnection()];
  const customerChannels = new PeerChannels(customerPc as never, 'analyst');
  const analystChannels = new PeerChannels(analystPc as never, 'customer');
  joinChannels(customerPc, analystPc, ['control', 'file', 'input']);
  const made = { customer: [] as FakeNegotiatingConnection[], analyst: [] as FakeNegotiatingConnection[] };
  const maker = (side: 'customer' | 'analyst') => (config: RTCConfiguration) => {
    const pc = new FakeNegotiatingConnection(config);
    pc.rejectRemote = side === 'customer' && made.customer.length === 0 && options.badFirstAnswer === true;
    made[side].push(pc);
    return pc as unknown as RTCPeerConnection;
  };
  const customer = new FileConnection(customerChannels, 'customer', ICE, { makePeerConnection: maker('customer'), retryMs: 10 });
  const analyst = new FileConnection(analystChannels, 'analyst', ICE, { makePeerConnection: maker('analyst'), retryMs: 10 });
  const openSession = () => {
    for (const label of ['control', 'file', 'input']) {
      customerPc.channel(label).open();
      analystPc.channel(label).open();
    }
  };
  /** The newest file connections' channels open on both sides (ICE and DTLS done). */
  const openFiles = () => {
    made.customer.at(-1)!.channel('file').open();
    made.analyst.at(-1)!.channel('file').open();
  };
  return { customer, analyst, customerChannels, analystChannels, made, openSession, openFiles, customerPc, analystPc };
}

t.test('the table: only the moves of the life of a file connection', async (t) => {
  t.equal(fileConnectionTransition('idle', 'negotiate'), 'negotiating');
  t.equal(fileConnectionTransition('negotiating', 'opened'), 'open');
  t.equal(fileConnectionTransition('open', 'negotiate'), 'negotiating', "the customer's new offer replaces the analyst's old one");
  t.equal(fileConnectionTransition('idle', 'opened'), null);
  t.equal(fileConnectionTransition('lost', 'opened'), null, 'a lost connection does not open again: a new one does');
  t.equal(fileConnectionTransition('closed', 'negotiate'), null, 'nothing after close');
  t.equal(fileConnectionTransition('closed', 'close'), null);
});

t.test('the customer offers once the session channels open; the analyst answers; candidates cross, early ones kept; files take it when it opens', async (t) => {
  const s = session();
  t.equal(s.customer.state, 'idle');
  s.openSession();
  await until('the analyst answered', () => s.made.customer[0]?.remoteDescription !== null && s.made.customer.length === 1);
  const [customerPc, analystPc] = [s.made.customer[0], s.made.analyst[0]];
  t.same(customerPc.config, { iceServers: ICE.iceServers, iceTransportPolicy: 'all', bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require' }, "the session's ICE servers and policy, one transport");
  t.equal(analystPc.remoteDescription?.type, 'offer');
  await until('candidates crossed', () => customerPc.candidates.length > 0 && analystPc.candidates.length > 0);
  t.equal(analystPc.candidates[0].sdpMid, '0', "the customer's candidate reached the analyst, kept until its offer was applied");
  t.equal(s.customer.state, 'negotiating');
  t.equal(s.customerChannels.fileRoute, 'session', 'until it opens, files take the session connection');
  s.openFiles();
  t.equal(s.customer.state, 'open');
  t.equal(s.analyst.state, 'open');
  t.equal(s.customerChannels.fileRoute, 'file');
  t.equal(s.analystChannels.fileRoute, 'file');
});

t.test('an offer with media, an answer without an offer, an offer from the analyst: ignored, nothing made', async (t) => {
  const s = session();
  s.customerPc.channel('control').open();
  s.analystPc.channel('control').open();
  // The file channel stays closed: the customer does not offer by itself.
  s.customerChannels.sendControl({ type: 'file.link.offer', sdp: 'v=0\r\nm=video 9 UDP/TLS/RTP/SAVPF 96\r\n' });
  s.customerChannels.sendControl({ type: 'file.link.answer', sdp: 'v=0\r\nm=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n' });
  s.analystChannels.sendControl({ type: 'file.link.offer', sdp: 'v=0\r\nm=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n' });
  await settle();
  t.same([s.made.customer.length, s.made.analyst.length], [0, 0]);
  t.same([s.customer.state, s.analyst.state], ['idle', 'idle']);
});

t.test('a failed file connection: files go back to the session connection; the customer makes a new one, a limited number of times', async (t) => {
  const s = session();
  s.openSession();
  await until('negotiated', () => s.made.analyst.length === 1 && s.made.customer[0].remoteDescription !== null);
  s.openFiles();
  const lostRoutes: number[] = [];
  s.customerChannels.onFileRouteLost(() => lostRoutes.push(1));
  s.made.customer[0].setConnectionState('failed');
  t.equal(s.customer.state, 'lost');
  t.equal(s.customerChannels.fileRoute, 'session');
  t.equal(lostRoutes.length, 1, 'the files on it are reported lost');
  t.ok(s.made.customer[0].closed, 'the dead connection is closed');
  for (let retry = 1; retry <= FILE_CONNECTION_RETRIES; retry++) {
    await until(`retry ${retry}`, () => s.made.customer.length === retry + 1 && s.made.analyst.length === retry + 1);
    t.equal(s.analyst.state, 'negotiating', `the analyst answers retry ${retry} with a new connection`);
    s.made.customer.at(-1)!.setConnectionState('failed');
  }
  await new Promise((resolve) => setTimeout(resolve, 50));
  t.equal(s.made.customer.length, FILE_CONNECTION_RETRIES + 1, 'no more tries after the last');
  t.equal(s.customer.state, 'lost');
});

t.test("one side's link gone: the other side drops its end at once (file.link.lost), not after ICE consent runs out; a stale word spares the next link", async (t) => {
  const s = session();
  s.openSession();
  await until('negotiated', () => s.made.analyst.length === 1 && s.made.customer[0].remoteDescription !== null);
  s.openFiles();
  const analystLost: number[] = [];
  s.analystChannels.onFileRouteLost(() => analystLost.push(1));
  s.made.customer[0].setConnectionState('failed');
  await until("the analyst's end dropped", () => s.analyst.state === 'lost');
  t.equal(analystLost.length, 1, "the analyst's files on it are reported lost at once");
  t.ok(s.made.analyst[0].closed, "the analyst's end is closed");
  t.equal(s.made.analyst[0].connectionState === 'failed', false, 'without its own connection having failed');
  // The customer's next link: a late word about link 1 does not touch it.
  await until('link 2', () => s.made.analyst.length === 2);
  s.customerChannels.sendControl({ type: 'file.link.lost', link: 1 });
  await settle();
  t.equal(s.analyst.state, 'negotiating', 'link 2 is untouched');
});

t.test('a bad answer loses the connection; fresh credentials go to the next one', async (t) => {
  const s = session({ badFirstAnswer: true });
  s.customer.updateIce({ iceServers: [{ urls: ['turn:turn.example:3478'], username: 'u2', credential: 'c2' }], iceTransportPolicy: 'relay' });
  s.openSession();
  await until('lost on the bad answer', () => s.made.customer[0]?.closed === true);
  t.equal(s.made.customer[0].remoteDescription, null, 'the answer was refused');
  t.equal(s.made.customer[0].config.iceTransportPolicy, 'relay', 'the credentials given before it was made');
  t.equal((s.made.customer[0].config.iceServers?.[0] as RTCIceServer).username, 'u2');
  await until('a new one', () => s.made.customer.length === 2 && s.made.customer[1].remoteDescription !== null);
  s.openFiles();
  t.equal(s.customer.state, 'open');
});

t.test('close() ends it for good, once; so does the session channels closing', async (t) => {
  const s = session();
  s.openSession();
  await until('negotiated', () => s.made.analyst.length === 1);
  s.openFiles();
  s.customer.close();
  s.customer.close();
  t.equal(s.customer.state, 'closed');
  t.ok(s.made.customer[0].closed);
  t.equal(s.customerChannels.fileRoute, 'session');
  s.analystPc.channel('control').close();
  t.equal(s.analyst.state, 'closed', 'the session connection went: the file connection with it');
  t.ok(s.made.analyst[0].closed);
  await new Promise((resolve) => setTimeout(resolve, 30));
  t.equal(s.made.customer.length, 1, 'no retry after close');
});
