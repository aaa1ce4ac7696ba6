import t from 'tap';
import { verificationCode } from '../../../../web/session/verification-code.js';

const A = 'sha-256 3A:1F:9C:4B:88:02:7D:EE:51:C0:9A:12:34:56:78:9A:BC:DE:F0:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD';
const B = 'sha-256 C4:5E:01:23:45:67:89:AB:CD:EF:FE:DC:BA:98:76:54:32:10:0F:1E:2D:3C:4B:5A:69:78:87:96:A5:B4:C3:D2';

t.test('both sides derive the same six digits from the same pair of fingerprints', async (t) => {
  const customerSide = await verificationCode([A, B]);
  const analystSide = await verificationCode([B, A]);
  t.match(customerSide, /^\d{3} \d{3}$/);
  t.equal(customerSide, analystSide, 'order does not matter (each side sees itself as local)');
  t.equal(await verificationCode([A.toLowerCase(), ` ${B} `]), customerSide, 'case and spaces do not matter');
});

t.test('a tampered fingerprint changes the code', async (t) => {
  const genuine = await verificationCode([A, B]);
  // A man in the middle terminates DTLS with his own certificate: one side sees it instead of B.
  const tampered = B.replace('C4:5E', 'C4:5F');
  t.not(await verificationCode([A, tampered]), genuine);
  t.not(await verificationCode([tampered, B]), genuine);
});
