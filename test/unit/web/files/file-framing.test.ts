import t from 'tap';
import { checkPushUrl } from '../../../../protocol/index.js';
import { beginFrame, chunkRanges, FILE_CONNECTION_CHUNK_BYTES, fileConnectionChunkBytes, parseBeginFrame, SESSION_CHUNK_BYTES } from '../../../../web/files/file-framing.js';
import { formatBytes, RateMeter } from '../../../../web/files/transfer-rate.js';

t.test('beginFrame()/parseBeginFrame() round-trip the transfer handle', async (t) => {
  for (const handle of [1, 255, 65_536, 0xffffffff]) t.equal(parseBeginFrame(beginFrame(handle)), handle, `handle ${handle}`);
  t.throws(() => beginFrame(0), RangeError);
  t.throws(() => beginFrame(2 ** 32), RangeError);
  t.throws(() => beginFrame(1.5), RangeError);
});

t.test('parseBeginFrame() refuses anything else', async (t) => {
  for (const bad of ['begin 0', 'begin 4294967296', 'begin 01', 'begin -1', 'begin 1 ', ' begin 1', 'begin', 'begin 1e3', 'BEGIN 1', '{"begin":1}', '', 'begin 99999999999']) {
    t.equal(parseBeginFrame(bad), null, JSON.stringify(bad));
  }
  for (const bad of [1, null, undefined, new ArrayBuffer(8), { handle: 1 }]) t.equal(parseBeginFrame(bad), null, String(bad));
});

t.test('chunkRanges() covers every byte exactly once', async (t) => {
  for (const chunk of [SESSION_CHUNK_BYTES, FILE_CONNECTION_CHUNK_BYTES, 3000]) {
    for (const size of [0, 1, chunk - 1, chunk, chunk + 1, 5 * chunk + 123]) {
      const ranges = [...chunkRanges(size, chunk)];
      t.equal(ranges.reduce((sum, [a, b]) => sum + (b - a), 0), size, `size ${size}, chunks of ${chunk}`);
      t.ok(ranges.every(([a, b], i) => b - a <= chunk && b > a && (i === 0 ? a === 0 : a === ranges[i - 1][1])), `contiguous for ${size}, chunks of ${chunk}`);
      t.equal(ranges.length, Math.ceil(size / chunk), `as few chunks as possible for ${size}`);
    }
  }
});

t.test('fileConnectionChunkBytes() never exceeds what the other side accepts', async (t) => {
  t.equal(FILE_CONNECTION_CHUNK_BYTES, 128 * 1024);
  t.equal(fileConnectionChunkBytes(262_144), FILE_CONNECTION_CHUNK_BYTES, "Chromium's and Safari's limit");
  t.equal(fileConnectionChunkBytes(1_073_741_823), FILE_CONNECTION_CHUNK_BYTES, "Firefox's limit: no more than our own size");
  t.equal(fileConnectionChunkBytes(Number.POSITIVE_INFINITY), FILE_CONNECTION_CHUNK_BYTES, 'no limit');
  t.equal(fileConnectionChunkBytes(100_000), 64 * 1024, 'a smaller limit: the largest power of two under it');
  t.equal(fileConnectionChunkBytes(65_536), 65_536);
  t.equal(fileConnectionChunkBytes(65_535), 32_768);
  for (const unknown of [undefined, null, 0, -1, Number.NaN]) t.equal(fileConnectionChunkBytes(unknown), SESSION_CHUNK_BYTES, `unknown (${unknown}): the size every browser accepts`);
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
