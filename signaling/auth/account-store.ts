import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { RedisLink } from '../redis/link.js';

export type AccountRole = 'admin' | 'analyst';

/** One analyst or admin account as stored: the password only as a scrypt hash. */
export interface AccountRecord {
  id: string;
  username: string;
  displayName: string;
  role: AccountRole;
  queues: string[];
  passwordHash: string;
  createdAt: number;
  disabled: boolean;
}

/** Where accounts live between restarts. */
export interface AccountRepository {
  load(): Promise<AccountRecord[]>;
  persist(records: AccountRecord[]): Promise<void>;
  /** Human-readable location, for logs and the CLI. */
  readonly location: string;
  /** Shared repositories call this when another node changed the accounts. */
  watch?(onChange: () => void): Promise<void>;
}

/** In memory only (tests, or a throw-away demo). */
export class MemoryAccountRepository implements AccountRepository {
  readonly location = 'memory';
  private records: AccountRecord[] = [];
  async load(): Promise<AccountRecord[]> {
    return this.records.map((r) => ({ ...r, queues: [...r.queues] }));
  }
  async persist(records: AccountRecord[]): Promise<void> {
    this.records = records.map((r) => ({ ...r, queues: [...r.queues] }));
  }
}

/**
 * The embedded default: one JSON file (DATA_DIR/accounts.json), readable by its owner only,
 * replaced atomically (write a temporary file, then rename) so a crash never leaves half a file.
 */
export class JsonFileAccountRepository implements AccountRepository {
  readonly location: string;

  constructor(dataDir: string) {
    this.location = join(dataDir, 'accounts.json');
  }

  async load(): Promise<AccountRecord[]> {
    let text: string;
    try {
      text = await readFile(this.location, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    const parsed = JSON.parse(text) as { version?: number; accounts?: AccountRecord[] };
    if (parsed.version !== 1 || !Array.isArray(parsed.accounts)) {
      throw new Error(`${this.location} is not a Relay Desk accounts file (version 1). Move it away to start afresh.`);
    }
    return parsed.accounts;
  }

  async persist(records: AccountRecord[]): Promise<void> {
    await mkdir(dirname(this.location), { recursive: true, mode: 0o700 });
    const temporary = `${this.location}.${randomUUID()}.tmp`;
    await writeFile(temporary, `${JSON.stringify({ version: 1, accounts: records }, null, 2)}\n`, { mode: 0o600 });
    await rename(temporary, this.location);
  }
}

/**
 * Several nodes: one JSON document in Redis, announced on a channel when it changes so every node
 * reloads it. Account changes are rare admin actions; the last write wins.
 */
export class RedisAccountRepository implements AccountRepository {
  readonly location = 'redis';

  constructor(private readonly link: RedisLink, private readonly nodeId: string) {}

  async load(): Promise<AccountRecord[]> {
    const raw = await this.link.cmd.get(this.link.key('accounts'));
    return raw ? (JSON.parse(raw) as { accounts: AccountRecord[] }).accounts : [];
  }

  async persist(records: AccountRecord[]): Promise<void> {
    await this.link.cmd.set(this.link.key('accounts'), JSON.stringify({ version: 1, accounts: records }));
    await this.link.publish('accounts', this.nodeId);
  }

  async watch(onChange: () => void): Promise<void> {
    await this.link.listen('accounts', (from) => from !== this.nodeId && onChange());
  }
}
