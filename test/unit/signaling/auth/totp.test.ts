import t from 'tap';
import { base32Decode, base32Encode, hotp, matchTotp, newRecoveryCodes, newTotpSecret, otpauthUri, recoveryHash, totp } from '../../../../signaling/auth/totp.js';

// RFC 6238 appendix B (SHA-1 rows), secret "12345678901234567890", 8 digits.
const RFC_SECRET = Buffer.from('12345678901234567890');
const VECTORS: Array<[number, string]> = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
];

t.test('RFC 6238 test vectors', async (t) => {
  for (const [seconds, code] of VECTORS) t.equal(hotp(RFC_SECRET, Math.floor(seconds / 30), 8), code, `T=${seconds}`);
  const b32 = base32Encode(RFC_SECRET);
  t.equal(b32, 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ', 'RFC 4648 base32');
  t.equal(totp(b32, 59_000), '287082', 'six digits: the last six of the eight');
  t.same(base32Decode('gezd gnbv-gy3t qojq gezdgnbvgy3tqojq'), RFC_SECRET, 'spaces, dashes and lower case are accepted');
  t.throws(() => base32Decode('GEZ1'), /not base32/);
});

t.test('a code matches its step and one step either side, not two; anything else is refused', async (t) => {
  const secret = newTotpSecret();
  t.equal(base32Decode(secret).length, 20, '160-bit secrets');
  const now = 1_700_000_000_000;
  const step = Math.floor(now / 30_000);
  const at = (s: number) => hotp(base32Decode(secret), s);
  t.equal(matchTotp(secret, at(step), now), step);
  t.equal(matchTotp(secret, at(step - 1), now), step - 1);
  t.equal(matchTotp(secret, at(step + 1), now), step + 1);
  const far = [at(step - 2), at(step + 2)].filter((c) => ![at(step - 1), at(step), at(step + 1)].includes(c));
  for (const code of far) t.equal(matchTotp(secret, code, now), null, 'two steps away');
  for (const bad of ['', '12345', '1234567', 'abcdef', ' 123456']) t.equal(matchTotp(secret, bad, now), null, `refused: ${JSON.stringify(bad)}`);
});

t.test('the otpauth URI and the recovery codes', async (t) => {
  const uri = otpauthUri('Relay Desk', 'bob', 'JBSWY3DPEHPK3PXP');
  t.equal(uri, 'otpauth://totp/Relay%20Desk:bob?secret=JBSWY3DPEHPK3PXP&issuer=Relay%20Desk&algorithm=SHA1&digits=6&period=30');
  const codes = newRecoveryCodes();
  t.equal(codes.length, 10);
  t.equal(new Set(codes).size, 10);
  for (const code of codes) t.match(code, /^[a-z2-7]{5}-[a-z2-7]{5}$/);
  t.equal(recoveryHash(codes[0]), recoveryHash(` ${codes[0].toUpperCase().replace('-', '')} `), 'typed without the dash, in capitals');
  t.not(recoveryHash(codes[0]), recoveryHash(codes[1]));
});
