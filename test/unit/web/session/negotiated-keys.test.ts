import t from 'tap';
import { checkKeys, sdpTransports, statsTransports } from '../../../../web/session/negotiated-keys.js';

// Descriptions shaped like the browsers' (trimmed to the lines that matter here).
const FP_C = 'AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89';
const FP_A = '11:22:33:44:55:66:77:88:99:00:AA:BB:CC:DD:EE:FF:11:22:33:44:55:66:77:88:99:00:AA:BB:CC:DD:EE:FF';
const FP_X = 'EE:EE:EE:EE:EE:EE:EE:EE:EE:EE:EE:EE:EE:EE:EE:EE:EE:EE:EE:EE:EE:EE:EE:EE:EE:EE:EE:EE:EE:EE:EE:EE';

const chromium = (fp: string, bundle = '0 1') =>
  ['v=0', 'o=- 1 2 IN IP4 127.0.0.1', 's=-', 't=0 0', `a=group:BUNDLE ${bundle}`,
    'm=application 9 UDP/DTLS/SCTP webrtc-datachannel', 'a=mid:0', `a=fingerprint:sha-256 ${fp}`, 'a=setup:actpass',
    'm=video 9 UDP/TLS/RTP/SAVPF 96', 'a=mid:1', `a=fingerprint:sha-256 ${fp}`, 'a=rtcp-mux'].join('\r\n') + '\r\n';

// Firefox puts the fingerprint once, at session level.
const firefox = (fp: string) =>
  ['v=0', 'o=mozilla...THIS_IS_SDPARTA-153 1 0 IN IP4 0.0.0.0', 's=-', 't=0 0', `a=fingerprint:sha-256 ${fp}`, 'a=group:BUNDLE 0 1',
    'm=application 9 UDP/DTLS/SCTP webrtc-datachannel', 'a=mid:0', 'm=video 9 UDP/TLS/RTP/SAVPF 120', 'a=mid:1'].join('\r\n') + '\r\n';

/** The attack of the issue: the established data section, plus a video section outside the bundle with the attacker's key. */
const outside = ['v=0', 's=-', 't=0 0', 'a=group:BUNDLE 0',
  'm=application 9 UDP/DTLS/SCTP webrtc-datachannel', 'a=mid:0', `a=fingerprint:sha-256 ${FP_A}`,
  'm=video 9 UDP/TLS/RTP/SAVPF 96', 'a=mid:1', `a=fingerprint:sha-256 ${FP_X}`].join('\r\n');

t.test('a bundled description from either browser names one certificate', async (t) => {
  t.same(sdpTransports(chromium(FP_C)), { fingerprints: [`sha-256 ${FP_C}`], bundled: true, sections: 2 });
  t.same(sdpTransports(firefox(FP_A)), { fingerprints: [`sha-256 ${FP_A}`], bundled: true, sections: 2 });
  t.same(checkKeys(chromium(FP_C), firefox(FP_A)), { ok: true, local: `sha-256 ${FP_C}`, remote: `sha-256 ${FP_A}` });
  t.same(checkKeys(chromium(FP_C.toLowerCase()), firefox(FP_A)), { ok: true, local: `sha-256 ${FP_C}`, remote: `sha-256 ${FP_A}` }, 'case does not matter');
  const dataOnly = ['v=0', 's=-', 't=0 0', 'm=application 9 UDP/DTLS/SCTP webrtc-datachannel', 'a=mid:0', `a=fingerprint:sha-256 ${FP_C}`].join('\r\n');
  t.equal(sdpTransports(dataOnly).bundled, true, 'a single section needs no group');
});

t.test('a section outside the bundle, or a second certificate, is refused', async (t) => {
  t.same(checkKeys(chromium(FP_C), outside), { ok: false, reason: 'outsideBundle' });
  const twoKeys = chromium(FP_A).replace(`a=mid:1\r\na=fingerprint:sha-256 ${FP_A}`, `a=mid:1\r\na=fingerprint:sha-256 ${FP_X}`);
  t.same(checkKeys(chromium(FP_C), twoKeys), { ok: false, reason: 'secondTransport' }, 'one bundle, two keys');
  const rejected = chromium(FP_A, '0').replace('m=video 9', 'm=video 0');
  t.same(checkKeys(chromium(FP_C, '0').replace('m=video 9', 'm=video 0'), rejected).ok, true, 'a rejected section (port 0) carries nothing');
});

t.test('the statistics must agree with the descriptions where the browser has them', async (t) => {
  const report = (entries: Array<Record<string, unknown>>) => {
    const map = new Map(entries.map((entry) => [entry.id as string, entry]));
    return { forEach: (cb: (entry: never) => void) => map.forEach((entry) => cb(entry as never)), get: (id: string) => map.get(id) as never };
  };
  const one = report([{ type: 'transport', id: 'T1', remoteCertificateId: 'R' }, { type: 'certificate', id: 'R', fingerprint: FP_A, fingerprintAlgorithm: 'sha-256' }]);
  t.same(statsTransports(one), { transports: 1, remote: [`sha-256 ${FP_A}`] });
  t.equal(checkKeys(chromium(FP_C), chromium(FP_A), statsTransports(one)).ok, true);
  const two = report([
    { type: 'transport', id: 'T1', remoteCertificateId: 'R' }, { type: 'certificate', id: 'R', fingerprint: FP_A, fingerprintAlgorithm: 'sha-256' },
    { type: 'transport', id: 'T2', remoteCertificateId: 'X' }, { type: 'certificate', id: 'X', fingerprint: FP_X, fingerprintAlgorithm: 'sha-256' },
  ]);
  t.same(checkKeys(chromium(FP_C), chromium(FP_A), statsTransports(two)), { ok: false, reason: 'secondTransport' });
  const other = report([{ type: 'transport', id: 'T1', remoteCertificateId: 'X' }, { type: 'certificate', id: 'X', fingerprint: FP_X, fingerprintAlgorithm: 'sha-256' }]);
  t.same(checkKeys(chromium(FP_C), chromium(FP_A), statsTransports(other)), { ok: false, reason: 'fingerprintChanged' });
  t.equal(statsTransports(report([{ type: 'transport', id: 'T1' }])), null, 'no certificates reported (Firefox): the descriptions alone');
});
