import t from 'tap';
import { checkPushUrl } from '../../protocol/index.js';
import { CHUNK_BYTES, chunkRanges, decodeChunk, encodeChunk, HEADER_BYTES } from '../../web/shared/file-framing.js';
import { formatBytes, RateMeter } from '../../web/shared/transfer-rate.js';

t.test('encodeChunk()/decodeChunk() round-trip the handle and the bytes', async (t) => {
  const payload = Uint8Array.from({ length: 1000 }, (_, i) => i % 251);
  for (const handle of [1, 255, 65_536, 0xffffffff]) {
    const frame = encodeChunk(handle, payload);
    t.equal(frame.byteLength, HEADER_BYTES + payload.byteLength);
    const decoded = decodeChunk(frame.buffer as ArrayBuffer);
    t.equal(decoded?.handle, handle);
    t.same(Buffer.from(decoded!.payload), Buffer.from(payload));
  }
  t.same(decodeChunk(encodeChunk(7, new Uint8Array(0)))?.payload.byteLength, 0, 'an empty chunk is valid');
});

t.test('decodeChunk() refuses frames too short to carry a handle, and handle 0', async (t) => {
  t.equal(decodeChunk(new Uint8Array([0, 0, 1])), null);
  t.equal(decodeChunk(new Uint8Array([0, 0, 0, 0, 9])), null);
  t.throws(() => encodeChunk(0, new Uint8Array(1)), RangeError);
  t.throws(() => encodeChunk(2 ** 32, new Uint8Array(1)), RangeError);
});

t.test('decodeChunk() reads a view into a larger buffer correctly', async (t) => {
  const frame = encodeChunk(42, Uint8Array.of(9, 8, 7));
  const padded = new Uint8Array(frame.byteLength + 10);
  padded.set(frame, 5);
  const decoded = decodeChunk(padded.subarray(5, 5 + frame.byteLength));
  t.equal(decoded?.handle, 42);
  t.same([...decoded!.payload], [9, 8, 7]);
});

t.test('chunkRanges() covers every byte exactly once', async (t) => {
  for (const size of [0, 1, CHUNK_BYTES - 1, CHUNK_BYTES, CHUNK_BYTES + 1, 5 * CHUNK_BYTES + 123]) {
    const ranges = [...chunkRanges(size)];
    t.equal(ranges.reduce((sum, [a, b]) => sum + (b - a), 0), size, `size ${size}`);
    t.ok(ranges.every(([a, b], i) => b - a <= CHUNK_BYTES && (i === 0 ? a === 0 : a === ranges[i - 1][1])), `contiguous for ${size}`);
  }
});

t.test('RateMeter smooths speed and estimates the time left', async (t) => {
  let now = 0;
  const meter = new RateMeter(10_000_000, () => now);
  t.equal(meter.secondsLeft(0), null, 'unknown before any sample');
  now = 1000;
  t.equal(meter.update(1_000_000), 1_000_000);
  t.equal(meter.secondsLeft(1_000_000), 9);
  now = 1100;
  t.equal(meter.update(1_500_000), 1_000_000, 'samples closer than 250 ms are merged');
  now = 2000;
  t.equal(Math.round(meter.update(3_000_000)), 1_300_000, 'exponential smoothing: 0.7 × old + 0.3 × new');
  t.equal(formatBytes(83_886_080), '83.9 MB');
  t.equal(formatBytes(512), '512 B');
});

t.test('checkPushUrl() accepts plain web links only', async (t) => {
  t.ok(checkPushUrl('https://docs.example.com/a?b=c').ok);
  t.ok(checkPushUrl('http://192.0.2.1:8080/').ok);
  t.same(checkPushUrl('javascript:alert(1)'), { ok: false, problem: 'scheme' });
  t.same(checkPushUrl('data:text/html,x'), { ok: false, problem: 'scheme' });
  t.same(checkPushUrl('file:///etc/passwd'), { ok: false, problem: 'scheme' });
  t.same(checkPushUrl('https://bank.example@evil.example/'), { ok: false, problem: 'credentials' });
  t.same(checkPushUrl('not a url'), { ok: false, problem: 'invalid' });
  t.same(checkPushUrl(`https://x.example/${'a'.repeat(3000)}`), { ok: false, problem: 'tooLong' });
  const idn = checkPushUrl('https://аpple.example/');
  t.ok(idn.ok && idn.url.host.startsWith('xn--'), 'look-alike Unicode hosts are shown in punycode');
});
