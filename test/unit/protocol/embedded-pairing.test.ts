import { randomBytes } from 'node:crypto';
import t from 'tap';
import { EMBEDDED_PAIRING_TAIL, embeddedPairingTrailer, readEmbeddedPairing, type PairingFile } from '../../../protocol/index.js';

// The pairing the customer's page appends to the helper program, and the helper reads back from the
// end of its own file (protocol/helper.ts).
const pairing: PairingFile = { kind: 'relaydesk-pairing', server: 'https://support.example.com', code: '123456', secret: 'ab'.repeat(16) };
const program = randomBytes(100_000);
const tailOf = (file: Buffer) => file.subarray(Math.max(0, file.length - EMBEDDED_PAIRING_TAIL));

t.test('written after a program, read back from the end of the file', async (t) => {
  const file = Buffer.concat([program, embeddedPairingTrailer(pairing)]);
  t.same(JSON.parse(readEmbeddedPairing(tailOf(file))!), pairing);
  t.ok(file.subarray(0, program.length).equals(program), 'the program itself is untouched');
});

t.test('a program without one, or with a damaged one, carries none', async (t) => {
  t.equal(readEmbeddedPairing(tailOf(program)), null, 'no marker');
  const trailer = embeddedPairingTrailer(pairing);
  const huge = Buffer.from(trailer);
  huge.writeUInt32LE(0xffffff, huge.length - 4 - 'RELAYDESK-PAIRING-1'.length);
  t.equal(readEmbeddedPairing(tailOf(Buffer.concat([program, huge]))), null, 'a length past the limit');
  const zero = Buffer.from(trailer);
  zero.writeUInt32LE(0, zero.length - 4 - 'RELAYDESK-PAIRING-1'.length);
  t.equal(readEmbeddedPairing(tailOf(Buffer.concat([program, zero]))), null, 'an empty pairing');
  t.equal(readEmbeddedPairing(Buffer.from(trailer.subarray(trailer.length - 10))), null, 'a tail too short');
  const cut = Buffer.from(trailer.subarray(20));
  t.equal(readEmbeddedPairing(cut), null, 'a length longer than what is there');
});

t.test('the newest pairing wins when a file was appended to twice', async (t) => {
  const second = { ...pairing, code: '654321' };
  const file = Buffer.concat([program, embeddedPairingTrailer(pairing), embeddedPairingTrailer(second)]);
  t.equal((JSON.parse(readEmbeddedPairing(tailOf(file))!) as PairingFile).code, '654321');
});
