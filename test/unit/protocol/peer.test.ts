import { Value } from '@sinclair/typebox/value';
import t from 'tap';
import { isDataOnlySdp, PEER_LIMITS, PEER_ROLES, PeerMessage } from '../../../protocol/index.js';

// What the file connection accepts from the other browser before any connection exists: the
// description it negotiates, and the messages that carry it over the control channel.
const DATA_ONLY = ['v=0', 'o=- 1 2 IN IP4 127.0.0.1', 's=-', 't=0 0', 'a=group:BUNDLE 0', 'm=application 9 UDP/DTLS/SCTP webrtc-datachannel', 'c=IN IP4 0.0.0.0', 'a=mid:0', 'a=sctp-port:5000', ''].join('\r\n');

t.test('isDataOnlySdp() takes data sections only', async (t) => {
  t.ok(isDataOnlySdp(DATA_ONLY), 'one application section');
  t.ok(isDataOnlySdp(DATA_ONLY.replace(/\r\n/g, '\n')), 'bare newlines too');
  t.notOk(isDataOnlySdp(`${DATA_ONLY}m=video 9 UDP/TLS/RTP/SAVPF 96\r\na=mid:1\r\n`), 'a video section added');
  t.notOk(isDataOnlySdp(DATA_ONLY.replace('m=application', 'm=audio')), 'audio instead');
  t.notOk(isDataOnlySdp('v=0\r\ns=-\r\n'), 'no section at all');
  t.notOk(isDataOnlySdp(''), 'empty');
});

t.test('file.link messages: schema and roles', async (t) => {
  t.ok(Value.Check(PeerMessage, { type: 'file.link.offer', sdp: DATA_ONLY }));
  t.ok(Value.Check(PeerMessage, { type: 'file.link.answer', sdp: DATA_ONLY }));
  t.ok(Value.Check(PeerMessage, { type: 'file.link.candidate', candidate: 'candidate:1 1 udp 2122260223 198.18.0.1 40000 typ host', sdpMid: '0', sdpMLineIndex: 0 }));
  t.ok(Value.Check(PeerMessage, { type: 'file.link.candidate', candidate: '' }), 'end of candidates, no mid');
  t.notOk(Value.Check(PeerMessage, { type: 'file.link.offer', sdp: 'x'.repeat(PEER_LIMITS.linkSdpMax + 1) }), 'oversized description');
  t.notOk(Value.Check(PeerMessage, { type: 'file.link.offer', sdp: '' }), 'empty description');
  t.notOk(Value.Check(PeerMessage, { type: 'file.link.offer', sdp: DATA_ONLY, extra: 1 }), 'unknown field');
  t.notOk(Value.Check(PeerMessage, { type: 'file.link.candidate', candidate: 1 }), 'wrong type');
  t.notOk(Value.Check(PeerMessage, { type: 'file.link.candidate', candidate: 'c', sdpMLineIndex: -1 }), 'negative index');
  t.same(PEER_ROLES['file.link.offer'], ['customer'], 'only the customer offers');
  t.same(PEER_ROLES['file.link.answer'], ['analyst'], 'only the analyst answers');
});
