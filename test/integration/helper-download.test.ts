import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createHash, randomBytes } from 'node:crypto';
import t, { type Test } from 'tap';
import { ManualClock } from '../../signaling/clock.js';
import { PAIRING_TTL_MS } from '../../signaling/helper-pairing.js';
import { startServer } from '../helpers/server.js';
import { takenSession, upgradeAnswer } from '../helpers/ws-client.js';

// GET /helper/download/<platform>: the helper program, for the customer of a session that allowed
// control, while its pairing code lives. A small stand-in program in a helper folder of the test's
// own (the real programs are downloaded and run in test/e2e/helper-download.test.ts).
const dir = mkdtempSync(join(tmpdir(), 'relaydesk-helper-dir-'));
t.teardown(() => import('node:fs').then((fs) => fs.rmSync(dir, { recursive: true, force: true })));
const program = randomBytes(200_000);
writeFileSync(join(dir, 'relaydesk-helper-win-x64.exe'), program);
writeFileSync(join(dir, 'relaydesk-helper-win-x64.exe.gz'), gzipSync(program));
const sha256 = createHash('sha256').update(program).digest('hex');
writeFileSync(join(dir, 'manifest.json'), JSON.stringify({
  version: '9.9.9', node: '22', inputsHash: 'x',
  platforms: [{ platform: 'win-x64', file: 'relaydesk-helper-win-x64.exe', size: program.length, sha256, gzipFile: 'relaydesk-helper-win-x64.exe.gz', gzipSize: gzipSync(program).length }],
}));

const clock = new ManualClock(Date.now());
const server = await startServer({ helperDir: dir }, { clock });
t.teardown(() => server.close());
const ws = server.url.replace('http', 'ws');

const get = (path: string, headers: Record<string, string> = {}) => fetch(`${server.url}${path}`, { headers });
const codeOf = async (res: Response) => ((await res.json()) as { error: { code: string } }).error.code;
/** A session whose customer allowed control (asked for a pairing code); ended when `t` ends. */
async function pairedCustomer(t: Test, analyst = 'alice') {
  const session = await takenSession(server, true, analyst);
  session.customer.send({ type: 'helper.pair' });
  const code = await session.customer.next('helper.code');
  t.teardown(() => endSession(session));
  return { ...session, code };
}
/** An analyst has one session at a time: the test's sessions end before the next begins. */
async function endSession(session: Awaited<ReturnType<typeof takenSession>>) {
  session.analyst.send({ type: 'session.end' });
  await session.customer.until('ticket.status', (f) => f.state === 'ended').catch(() => undefined);
  session.customer.socket.close();
  session.analyst.socket.close();
}

t.test('the list says what is built, with sizes', async (t) => {
  const res = await get('/helper/downloads');
  t.equal(res.status, 200);
  const body = (await res.json()) as { version: string; platforms: Array<Record<string, unknown>> };
  t.equal(body.version, '9.9.9');
  t.same(body.platforms, [{ platform: 'win-x64', file: 'relaydesk-helper-win-x64.exe', size: program.length, transfer: gzipSync(program).length, sha256 }]);
});

t.test("the customer of a session that allowed control downloads the program, compressed or not, named for the download", async (t) => {
  const { ticket, code } = await pairedCustomer(t);
  t.match(code.download, /^[0-9a-f]{32}$/, 'the code comes with a download token');
  const path = `/helper/download/win-x64?ticket=${ticket.ticketId}&token=${code.download}`;
  const plain = await get(path, { 'accept-encoding': 'identity' });
  t.equal(plain.status, 200);
  t.equal(plain.headers.get('content-disposition'), 'attachment; filename="relaydesk-helper-win-x64.exe"');
  t.equal(plain.headers.get('cache-control'), 'no-store');
  t.ok(Buffer.from(await plain.arrayBuffer()).equals(program), 'the bytes of the program');
  // fetch undoes gzip itself, as the browser does.
  const compressed = await get(path, { 'accept-encoding': 'gzip' });
  t.equal(compressed.headers.get('content-encoding'), 'gzip');
  t.ok(Number(compressed.headers.get('content-length')) < program.length * 1.01, 'the precompressed file crosses the network');
  t.ok(Buffer.from(await compressed.arrayBuffer()).equals(program), 'and is the same program once unpacked');
});

t.test('refused: an unknown platform, no token, a token never issued, a session without control allowed', async (t) => {
  const unknown = await get('/helper/download/amiga-68k?ticket=x&token=' + '0'.repeat(32));
  t.equal(unknown.status, 404);
  t.equal(await codeOf(unknown), 'helper.unknownPlatform');
  const none = await get('/helper/download/win-x64');
  t.equal(none.status, 403);
  t.equal(await codeOf(none), 'helper.downloadRefused');
  // A session where control was never allowed has no pairing code, so no token: any token is refused.
  const session = await takenSession(server, true);
  const { ticket } = session;
  t.teardown(() => endSession(session));
  const guessed = await get(`/helper/download/win-x64?ticket=${ticket.ticketId}&token=${randomBytes(16).toString('hex')}`);
  t.equal(guessed.status, 403);
  t.equal(await codeOf(guessed), 'helper.downloadRefused');
  const malformed = await get(`/helper/download/win-x64?ticket=${ticket.ticketId}&token=${'z'.repeat(32)}`);
  t.equal(await codeOf(malformed), 'helper.downloadRefused');
});

t.test("another session's token is refused, also when both sessions try at once", async (t) => {
  const a = await pairedCustomer(t, 'alice');
  const b = await pairedCustomer(t, 'bob');
  const answers = await Promise.all([
    get(`/helper/download/win-x64?ticket=${b.ticket.ticketId}&token=${a.code.download}`),
    get(`/helper/download/win-x64?ticket=${a.ticket.ticketId}&token=${b.code.download}`),
    get(`/helper/download/win-x64?ticket=${a.ticket.ticketId}&token=${a.code.download}`),
  ]);
  t.same(answers.map((r) => r.status), [403, 403, 200]);
  t.same(await Promise.all(answers.slice(0, 2).map(codeOf)), ['helper.downloadOtherSession', 'helper.downloadOtherSession']);
});

t.test('the download works while its code does: not after a helper used the code, nor once it expired, nor with a replaced code', async (t) => {
  const used = await pairedCustomer(t);
  const path = (s: typeof used, token = s.code.download) => `/helper/download/win-x64?ticket=${s.ticket.ticketId}&token=${token}`;
  // The helper pairs with the code: a second helper with the same code is refused, and so is the download.
  t.equal((await upgradeAnswer(`${ws}/ws/helper?code=${used.code.code}`)).status, 101, 'the first helper pairs');
  t.equal((await upgradeAnswer(`${ws}/ws/helper?code=${used.code.code}`)).status, 401, 'a second helper for the same download is refused');
  const afterUse = await get(path(used));
  t.equal(afterUse.status, 410);
  t.equal(await codeOf(afterUse), 'helper.downloadExpired');

  await endSession(used);
  const late = await pairedCustomer(t);
  clock.advance(PAIRING_TTL_MS + 1);
  const expired = await get(path(late));
  t.equal(expired.status, 410);
  t.equal(await codeOf(expired), 'helper.downloadExpired');

  await endSession(late);
  const replaced = await pairedCustomer(t);
  replaced.customer.send({ type: 'helper.pair' });
  const fresh = await replaced.customer.next('helper.code');
  t.equal((await get(path(replaced))).status, 410, 'the old code\'s token no longer downloads');
  t.equal((await get(path(replaced, fresh.download))).status, 200, 'the new one does');
});

t.test('thirty concurrent guesses of a token are all refused, and past 20 a minute from one address not even looked up', async (t) => {
  const { ticket } = await pairedCustomer(t);
  const answers = await Promise.all(Array.from({ length: 30 }, () => get(`/helper/download/win-x64?ticket=${ticket.ticketId}&token=${randomBytes(16).toString('hex')}`)));
  const codes = await Promise.all(answers.map(codeOf));
  t.same([...new Set(answers.map((r) => r.status))].sort(), [403, 429], 'refused, then rate-limited');
  t.ok(codes.every((c) => c === 'helper.downloadRefused' || c === 'request.rateLimited'));
  t.ok(answers.filter((r) => r.status === 403).length <= 20, 'at most 20 lookups a minute');
});

t.test('with only the compressed program (as in the image), a client that does not take gzip gets it unpacked', async (t) => {
  const { rmSync, mkdtempSync: mk, copyFileSync } = await import('node:fs');
  const only = mk(join(tmpdir(), 'relaydesk-helper-gz-'));
  t.teardown(() => rmSync(only, { recursive: true, force: true }));
  copyFileSync(join(dir, 'manifest.json'), join(only, 'manifest.json'));
  copyFileSync(join(dir, 'relaydesk-helper-win-x64.exe.gz'), join(only, 'relaydesk-helper-win-x64.exe.gz'));
  const slim = await startServer({ helperDir: only });
  t.teardown(() => slim.close());
  const session = await takenSession(slim, true);
  t.teardown(() => endSession(session));
  session.customer.send({ type: 'helper.pair' });
  const code = await session.customer.next('helper.code');
  const res = await fetch(`${slim.url}/helper/download/win-x64?ticket=${session.ticket.ticketId}&token=${code.download}`, { headers: { 'accept-encoding': 'identity' } });
  t.equal(res.status, 200);
  t.equal(res.headers.get('content-encoding'), null);
  t.ok(Buffer.from(await res.arrayBuffer()).equals(program), 'the program, unpacked by the server');
});

t.test('a server without the programs built says so', async (t) => {
  const none = mkdtempSync(join(tmpdir(), 'relaydesk-helper-none-'));
  const bare = await startServer({ helperDir: none });
  t.teardown(async () => {
    await bare.close();
    (await import('node:fs')).rmSync(none, { recursive: true, force: true });
  });
  const list = (await (await fetch(`${bare.url}/helper/downloads`)).json()) as { platforms: unknown[] };
  t.same(list.platforms, []);
  const session = await takenSession(bare, true);
  const { customer, ticket } = session;
  t.teardown(() => endSession(session));
  customer.send({ type: 'helper.pair' });
  const code = await customer.next('helper.code');
  const res = await fetch(`${bare.url}/helper/download/linux-x64?ticket=${ticket.ticketId}&token=${code.download}`);
  t.equal(res.status, 503);
  t.equal(await codeOf(res), 'helper.notBuilt');
});
