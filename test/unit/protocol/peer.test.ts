import { Value } from 'typebox/value';
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

t.test('pushed links to the customer\'s own network or machine are refused; public ones pass', async (t) => {
  const { checkPushUrl, isPrivateHost } = await import('../../../protocol/index.js');
  for (const url of ['http://192.168.1.1/', 'http://10.0.0.8:8080/', 'http://172.20.1.1/', 'http://127.0.0.1/', 'http://localhost:3000/', 'http://printer.local/',
    'http://router/', 'http://[::1]/', 'http://[fd12::1]/', 'http://[fe80::1]/', 'http://[::ffff:192.168.0.1]/', 'http://3232235777/', 'http://169.254.169.254/latest', 'http://0.0.0.0/', 'http://nas.home.arpa/']) {
    t.same(checkPushUrl(url), { ok: false, problem: 'privateHost' }, url);
  }
  for (const url of ['https://example.com/', 'http://driver.example/setup', 'https://8.8.8.8/', 'https://[2001:db8::1]/']) t.equal(checkPushUrl(url).ok, true, url);
  t.equal(isPrivateHost('172.32.0.1'), false, 'just outside 172.16/12');
});

t.test('a received file name reads as it is: control, format and direction characters go, the extension apart', async (t) => {
  const { safeFileName } = await import('../../../protocol/index.js');
  t.same(safeFileName('report\u202Efdp.exe'), { name: 'reportfdp.exe', extension: 'exe' }, 'a right-to-left override');
  t.same(safeFileName('invoice\u2066.pdf\u2069.scr'), { name: 'invoice.pdf.scr', extension: 'scr' }, 'isolates');
  t.same(safeFileName('a\u200Bb\u0000c\nd.txt'), { name: 'abcd.txt', extension: 'txt' }, 'zero width, NUL, newline');
  t.same(safeFileName('../../etc/passwd'), { name: '_.._etc_passwd', extension: '_etc_passwd' }, 'no path; the extension is what follows the last dot, as the system reads it');
  t.same(safeFileName('\u202E'), { name: 'file', extension: '' }, 'nothing left: a neutral name');
  t.same(safeFileName('Résumé – 2026.PDF'), { name: 'Résumé – 2026.PDF', extension: 'pdf' }, 'ordinary names unchanged');
});
