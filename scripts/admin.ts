// Account administration from the command line, for the first admin and for recovery:
//   npm run admin -- create-user <username> --name "Alice Martin" --role admin --queues general,printers
//   npm run admin -- set-password <username>
//   npm run admin -- list-users
//   npm run admin -- delete-user <username>
//   npm run admin -- reset-totp <username>      (two-step sign-in lost with its recovery codes)
// Passwords are asked for on the terminal (not echoed), or read from the first line of standard
// input with --password-stdin. Works on DATA_DIR/accounts.json (default ./data); stop the server
// first, or make later changes in the console, since a running server keeps its own copy.
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { JsonFileAccountRepository } from '../signaling/auth/account-store.js';
import { AccountService, PASSWORD_MIN } from '../signaling/auth/accounts.js';
import { systemClock } from '../signaling/clock.js';
import { loadConfig } from '../signaling/config.js';
import { ERRORS } from '../protocol/index.js';

const USAGE = `Usage: npm run admin -- <command> [options]
  create-user <username> --name <display name> [--role admin|analyst] [--queues q1,q2] [--password-stdin]
  set-password <username> [--password-stdin]
  set-queues <username> --queues q1,q2
  list-users
  delete-user <username>
  reset-totp <username>     removes the account's two-step sign-in (a lost phone)`;

async function readPassword(fromStdin: boolean): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: !fromStdin && process.stdin.isTTY });
  if (fromStdin) {
    for await (const line of rl) {
      rl.close();
      return line;
    }
    throw new Error('no password on standard input');
  }
  const ask = (prompt: string) =>
    new Promise<string>((resolve) => {
      const output = rl as unknown as { _writeToOutput: (s: string) => void; output: NodeJS.WriteStream };
      const write = output._writeToOutput.bind(rl);
      output._writeToOutput = (s: string) => write(s.startsWith(prompt) ? prompt : s.replace(/[^\r\n]/g, ''));
      rl.question(prompt, (answer) => {
        output._writeToOutput = write;
        process.stdout.write('\n');
        resolve(answer);
      });
    });
  const first = await ask(`Password (at least ${PASSWORD_MIN} characters): `);
  const second = await ask('Again: ');
  rl.close();
  if (first !== second) throw new Error('the two passwords differ');
  return first;
}

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      role: { type: 'string', default: 'analyst' },
      queues: { type: 'string' },
      'password-stdin': { type: 'boolean', default: false },
    },
  });
  const [command, username] = positionals;
  const config = loadConfig();
  const repository = new JsonFileAccountRepository(config.dataDir ?? 'data');
  const { service } = await AccountService.open(repository, config.queues.map((q) => q.id), [], systemClock);
  const allQueues = config.queues.map((q) => q.id);
  const queues = values.queues ? values.queues.split(',').map((q) => q.trim()).filter(Boolean) : allQueues;
  const explain = (code: keyof typeof ERRORS) => fail(`${code}: ${ERRORS[code]}`);

  switch (command) {
    case 'list-users': {
      const list = service.list();
      if (list.length === 0) console.log(`No accounts yet in ${repository.location}. Create one with: npm run admin -- create-user <username> --name "Your Name" --role admin`);
      for (const a of list) console.log(`${a.username}\t${a.role}\t${a.disabled ? 'disabled' : 'active'}\t${a.displayName}\t[${a.queues.join(', ')}]${a.totp ? '\ttwo-step' : ''}`);
      return;
    }
    case 'create-user': {
      if (!username || !values.name) fail(USAGE);
      if (values.role !== 'admin' && values.role !== 'analyst') fail('--role must be admin or analyst');
      const password = await readPassword(values['password-stdin']!);
      const result = await service.create({ username, displayName: values.name, password, role: values.role, queues });
      if (!result.ok) explain(result.code);
      await service.flush();
      console.log(`Created ${values.role} "${username}" in ${repository.location}, queues: ${queues.join(', ')}.`);
      return;
    }
    case 'set-password':
    case 'set-queues':
    case 'reset-totp':
    case 'delete-user': {
      const account = username ? service.byUsername(username) : undefined;
      if (!account) fail(`No account "${username ?? ''}" in ${repository.location}. See: npm run admin -- list-users`);
      const result =
        command === 'delete-user' ? await service.remove(account.id)
        : command === 'set-queues' ? await service.update(account.id, { queues })
        : command === 'reset-totp' ? await service.update(account.id, { totpReset: true })
        : await service.update(account.id, { password: await readPassword(values['password-stdin']!) });
      if (!result.ok) explain(result.code);
      await service.flush();
      console.log(`${command}: done for "${username}".`);
      return;
    }
    default:
      fail(USAGE);
  }
}

main().catch((err) => fail(err instanceof Error ? err.message : String(err)));
