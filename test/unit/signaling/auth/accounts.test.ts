import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { JsonFileAccountRepository, MemoryAccountRepository } from '../../../../signaling/auth/account-store.js';
import { AccountService } from '../../../../signaling/auth/accounts.js';
import { ManualClock } from '../../../../signaling/clock.js';

const QUEUES = ['general', 'printers'];
const admin = { id: 'root', username: 'root', displayName: 'Root', password: 'root-password', queues: QUEUES, role: 'admin' as const };

t.test('AccountService seeds an empty store once, and authenticates only with the right password', async (t) => {
  const repository = new MemoryAccountRepository();
  const first = await AccountService.open(repository, QUEUES, [admin], new ManualClock());
  t.equal(first.seeded.length, 1);
  const again = await AccountService.open(repository, QUEUES, [admin], new ManualClock());
  t.equal(again.seeded.length, 0, 'not seeded twice');
  t.equal((await again.service.authenticate('root', 'root-password'))?.role, 'admin');
  t.equal(await again.service.authenticate('root', 'wrong-password'), null);
  t.equal(await again.service.authenticate('nobody', 'root-password'), null);
  t.notOk(JSON.stringify(await repository.load()).includes('root-password'), 'only the hash is stored');
});

t.test('AccountService validates every change and keeps at least one admin', async (t) => {
  const { service } = await AccountService.open(new MemoryAccountRepository(), QUEUES, [admin], new ManualClock());
  const base = { username: 'ann', displayName: 'Ann', password: 'ann-password', role: 'analyst' as const, queues: ['general'] };
  t.same(await service.create({ ...base, username: 'Ann!' }), { ok: false, code: 'account.invalidUsername' });
  t.same(await service.create({ ...base, password: 'short' }), { ok: false, code: 'account.weakPassword' });
  t.same(await service.create({ ...base, queues: ['nope'] }), { ok: false, code: 'account.invalidQueues' });
  t.same(await service.create({ ...base, displayName: '  ' }), { ok: false, code: 'account.invalidName' });
  const created = await service.create(base);
  t.ok(created.ok);
  t.same(await service.create(base), { ok: false, code: 'account.usernameTaken' });
  t.same(await service.update('root', { role: 'analyst' }), { ok: false, code: 'account.lastAdmin' });
  t.same(await service.remove('root'), { ok: false, code: 'account.lastAdmin' });
  const ann = created.ok ? created.account.id : '';
  t.ok((await service.update(ann, { disabled: true })).ok);
  t.equal(await service.authenticate('ann', 'ann-password'), null, 'a disabled account cannot sign in');
  t.equal(service.byId(ann), undefined, 'nor use an existing sign-in');
  const changed: string[] = [];
  service.onChange((id) => changed.push(id));
  t.ok((await service.update(ann, { disabled: false, queues: ['printers'], password: 'new-ann-password' })).ok);
  t.same(changed, [ann]);
  t.same(service.byId(ann)?.queues, ['printers']);
  t.ok(await service.authenticate('ann', 'new-ann-password'));
});

t.test('the JSON file store writes atomically, owner-only, and reads back what it wrote', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'relaydesk-accounts-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const repository = new JsonFileAccountRepository(join(dir, 'nested'));
  const { service } = await AccountService.open(repository, QUEUES, [admin], new ManualClock());
  await service.create({ username: 'bob', displayName: 'Bob', password: 'bob-password', role: 'analyst', queues: ['general'] });
  await service.flush();
  const file = join(dir, 'nested', 'accounts.json');
  t.equal(statSync(file).mode & 0o777, 0o600);
  const reopened = await AccountService.open(new JsonFileAccountRepository(join(dir, 'nested')), QUEUES, [], new ManualClock());
  t.same(reopened.service.list().map((a) => a.username), ['bob', 'root']);
  t.match(readFileSync(file, 'utf8'), /"passwordHash": "scrypt\$/);
});

t.test('npm run admin creates the first admin from a script', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'relaydesk-cli-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const run = (args: string[], input = '') =>
    execFileSync(process.execPath, ['--import=tsx', 'scripts/admin.ts', ...args], { env: { ...process.env, DATA_DIR: dir }, input, encoding: 'utf8' });
  t.match(run(['create-user', 'zoe', '--name', 'Zoé', '--role', 'admin', '--password-stdin'], 'a-long-password\n'), /Created admin "zoe"/);
  t.match(run(['list-users']), /zoe\tadmin\tactive\tZoé/);
  t.throws(() => run(['create-user', 'zoe', '--name', 'Again', '--password-stdin'], 'a-long-password\n'), 'a taken name is refused');
  const clock = new ManualClock(1_700_000_000_000);
  const { service } = await AccountService.open(new JsonFileAccountRepository(dir), QUEUES, [], clock);
  t.ok(await service.authenticate('zoe', 'a-long-password'));

  // Zoé loses her phone and her recovery codes: the CLI removes her two-step sign-in.
  const { totp } = await import('../../../../signaling/auth/totp.js');
  const zoe = service.byUsername('zoe')!;
  const started = await service.startTotp(zoe.id, 'Relay Desk');
  if (!started.ok) throw new Error(started.code);
  t.ok((await service.confirmTotp(zoe.id, totp(started.secret, clock.now()), async () => true)).ok);
  await service.flush();
  t.match(run(['list-users']), /zoe\tadmin\tactive\tZoé\t\[general, printers\]\ttwo-step/);
  t.match(run(['reset-totp', 'zoe']), /reset-totp: done for "zoe"/);
  const { service: reopened } = await AccountService.open(new JsonFileAccountRepository(dir), QUEUES, [], clock);
  t.equal(reopened.byUsername('zoe')?.totp, false, 'two-step sign-in is off in the file');
  t.throws(() => run(['reset-totp', 'nobody']), 'an unknown user is refused');
});

t.test('hash parameters are stored with each hash; a weaker hash is made again at the next successful sign-in', async (t) => {
  const { hashPassword, needsRehash, storedParams, verifyPassword, SCRYPT_PARAMS } = await import('../../../../signaling/auth/passwords.js');
  t.same(SCRYPT_PARAMS, { N: 131072, r: 8, p: 1 }, "OWASP's minimum by default");
  const strong = await hashPassword('correct horse battery');
  t.match(strong, /^scrypt\$N=131072,r=8,p=1\$/);
  t.ok(await verifyPassword('correct horse battery', strong));
  t.notOk(needsRehash(strong));
  const legacy = `scrypt$${strong.split('$').slice(2).join('$')}`; // the old format: no parameters (N=2^15)
  t.same(storedParams(legacy), { N: 32768, r: 8, p: 1 });
  t.ok(needsRehash(legacy));
  t.equal(storedParams('scrypt$N=99999999,r=8,p=1$AAAA$AAAA'), null, 'absurd parameters are refused, not run');
  t.notOk(await verifyPassword('x', 'scrypt$N=99999999,r=8,p=1$AAAA$AAAA'));

  const repository = new MemoryAccountRepository();
  const old = await hashPassword('bob-password-old', { N: 1 << 14, r: 8, p: 1 });
  const { service } = await AccountService.open(repository, QUEUES, [], new ManualClock());
  await service.create({ username: 'bob', displayName: 'Bob', password: 'placeholder-password', role: 'analyst', queues: ['general'] }, 'bob');
  (service as unknown as { records: Map<string, { passwordHash: string }> }).records.get('bob')!.passwordHash = old;
  const notified: string[] = [];
  service.onChange((id) => notified.push(id));
  t.ok(await service.authenticate('bob', 'bob-password-old'));
  await service.flush();
  const saved = (await repository.load()).find((r) => r.id === 'bob')!;
  t.match(saved.passwordHash, /^scrypt\$N=131072,r=8,p=1\$/, 'made again at full strength, and saved');
  t.ok(await service.authenticate('bob', 'bob-password-old'), 'the same password still signs in');
  t.same(notified, [], 'no sign-in or console ends for it');
});
