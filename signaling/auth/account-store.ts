import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

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
  /**
   * Raised by every change of what a sign-in grants (password, role, queues, disabled): sign-ins
   * carry the generation they were made at, and an older one is refused (auth/login-sessions.ts).
   * Missing in files written before it existed: 0.
   */
  generation?: number;
  /** Two-step sign-in (auth/totp.ts): the authenticator app's secret (base32), once confirmed. */
  totp?: { secret: string; since: number };
  /** A secret being enrolled: it becomes `totp` when a code made from it is confirmed, before `until`. */
  totpPending?: { secret: string; until: number };
  /** SHA-256 of each unused recovery code (auth/totp.ts recoveryHash). */
  recoveryHashes?: string[];
  /** An admin requires two-step sign-in: until it is set up, a sign-in reaches only its set-up. */
  totpRequired?: boolean;
}

/** The accounts as a repository stores them; every change raises the revision. */
export interface AccountDocument {
  revision: number;
  accounts: AccountRecord[];
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
  private revision = 0;

  constructor(dataDir: string) {
    this.location = join(dataDir, 'accounts.json');
  }

  async load(): Promise<AccountRecord[]> {
    const document = await this.loadDocument();
    this.revision = document.revision;
    return document.accounts;
  }

  async persist(records: AccountRecord[]): Promise<void> {
    this.revision += 1;
    await this.persistDocument({ revision: this.revision, accounts: records });
  }

  /** The file as it is; a missing file is revision 0 with no account. */
  async loadDocument(): Promise<AccountDocument> {
    let text: string;
    try {
      text = await readFile(this.location, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { revision: 0, accounts: [] };
      throw err;
    }
    const parsed = JSON.parse(text) as { version?: number; revision?: number; accounts?: AccountRecord[] };
    if (parsed.version !== 1 || !Array.isArray(parsed.accounts)) {
      throw new Error(`${this.location} is not a Relay Desk accounts file (version 1). Move it away to start afresh.`);
    }
    // Files written before revisions existed count as the first one.
    return { revision: parsed.revision ?? (parsed.accounts.length > 0 ? 1 : 0), accounts: parsed.accounts };
  }

  async persistDocument(document: AccountDocument): Promise<void> {
    await mkdir(dirname(this.location), { recursive: true, mode: 0o700 });
    const temporary = `${this.location}.${randomUUID()}.tmp`;
    await writeFile(temporary, `${JSON.stringify({ version: 1, ...document }, null, 2)}\n`, { mode: 0o600 });
    await rename(temporary, this.location);
  }
}

