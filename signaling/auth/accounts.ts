import { randomUUID } from 'node:crypto';
import type { AccountView, ErrorCode } from '../../protocol/index.js';
import type { Clock } from '../clock.js';
import type { AnalystConfig } from '../config.js';
import type { AccountRecord, AccountRepository, AccountRole } from './account-store.js';
import { hashPassword, needsRehash, SCRYPT_PARAMS, verifyPassword, type ScryptParams } from './passwords.js';
import { matchTotp, newRecoveryCodes, newTotpSecret, otpauthUri, recoveryHash, TOTP_STEP_MS } from './totp.js';

/** What the rest of the server knows of a signed-in person: never the hash. */
export interface Analyst {
  id: string;
  username: string;
  displayName: string;
  role: AccountRole;
  queues: string[];
  /** The account's generation (AccountRecord): a sign-in made at an older one is over. */
  generation: number;
  /** Two-step sign-in is set up. */
  totp: boolean;
  /** Required and not set up: a sign-in reaches only the set-up (routes/auth.ts). */
  totpSetupRequired: boolean;
}

/** What a sign-in's second step came to: not set up, right, not given, or wrong. */
export type SecondFactor = 'none' | 'ok' | 'missing' | 'wrong';

/**
 * Marks a one-time code used, across every node: true for the first call with `key`, false for
 * any later one within `ttlMs` (auth/used-codes.ts).
 */
export type ClaimOnce = (key: string, ttlMs: number) => Promise<boolean>;

/** How long a set-up's secret waits for its first code. */
export const TOTP_SETUP_MS = 10 * 60_000;

export type { AccountView };

export interface AccountInput {
  username: string;
  displayName: string;
  password: string;
  role: AccountRole;
  queues: string[];
}

export interface AccountPatch {
  displayName?: string;
  password?: string;
  role?: AccountRole;
  queues?: string[];
  disabled?: boolean;
  totpRequired?: boolean;
  totpReset?: true;
}

export type AccountResult = { ok: true; account: AccountView } | { ok: false; code: ErrorCode };

export const PASSWORD_MIN = 10;
const USERNAME = /^[a-z0-9._-]{2,40}$/;

const view = ({ passwordHash: _hash, generation: _generation, totp, totpPending: _pending, recoveryHashes: _recovery, totpRequired, ...rest }: AccountRecord): AccountView => ({
  ...rest,
  queues: [...rest.queues],
  totp: totp !== undefined,
  totpRequired: totpRequired === true,
});

// A hash to compare against when the user name is unknown, so both failures take the same time.
let decoyHash: Promise<string> | undefined;

/**
 * Analyst and admin accounts: the one owner of who may sign in and which queues they serve.
 * Changes are validated, applied in memory, then persisted through the repository.
 */
export class AccountService {
  private writes: Promise<void> = Promise.resolve();
  private lastWrite: Promise<void> = Promise.resolve();
  private readonly listeners = new Set<(accountId: string) => void>();

  private constructor(
    private readonly records: Map<string, AccountRecord>,
    private readonly repository: AccountRepository,
    private readonly queueIds: ReadonlySet<string>,
    private readonly clock: Clock,
    private readonly hashParams: ScryptParams,
  ) {}

  /** Loads the accounts; when there are none yet, creates the seed accounts (the demo admin). `hashParams`: for new hashes (tests lower them). */
  static async open(repository: AccountRepository, queueIds: string[], seeds: AnalystConfig[], clock: Clock, hashParams: ScryptParams = SCRYPT_PARAMS) {
    const loaded = await repository.load();
    const service = new AccountService(new Map(loaded.map((r) => [r.id, r])), repository, new Set(queueIds), clock, hashParams);
    const seeded: AnalystConfig[] = [];
    if (loaded.length === 0) {
      for (const seed of seeds) {
        const result = await service.create(
          { username: seed.username, displayName: seed.displayName, password: seed.password, role: seed.role ?? 'analyst', queues: seed.queues },
          seed.id,
        );
        if (!result.ok) throw new Error(`seed account "${seed.username}" is invalid: ${result.code}`);
        seeded.push(seed);
      }
      await service.flush();
    }
    await repository.watch?.(() => void repository.load().then((records) => service.replace(records), () => undefined));
    return { service, seeded };
  }

  get location(): string {
    return this.repository.location;
  }

  /** Called with the account id after every change (the hub refreshes that analyst's sockets). */
  onChange(listener: (accountId: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async authenticate(username: string, password: string): Promise<Analyst | null> {
    const found = [...this.records.values()].find((r) => r.username === username);
    decoyHash ??= hashPassword('decoy-password', this.hashParams);
    const ok = await verifyPassword(password, found?.passwordHash ?? (await decoyHash));
    if (!found || !ok || found.disabled) return null;
    // Made with weaker parameters than today's: made again now, while the password is at hand.
    if (needsRehash(found.passwordHash, this.hashParams)) {
      const stored = found.passwordHash;
      const rehashed = await hashPassword(password, this.hashParams);
      const record = this.records.get(found.id);
      if (record && record.passwordHash === stored) {
        record.passwordHash = rehashed;
        this.changed(found.id, false); // nothing a sign-in grants changed: the open consoles stay
      }
    }
    return this.byId(found.id) ?? null;
  }

  byId(id: string): Analyst | undefined {
    const record = this.records.get(id);
    if (!record || record.disabled) return undefined;
    const { id: _id, username, displayName, role, queues, generation = 0 } = record;
    const totp = record.totp !== undefined;
    return { id, username, displayName, role, queues: [...queues], generation, totp, totpSetupRequired: record.totpRequired === true && !totp };
  }

  byUsername(username: string): AccountView | undefined {
    const record = [...this.records.values()].find((r) => r.username === username);
    return record ? view(record) : undefined;
  }

  list(): AccountView[] {
    return [...this.records.values()].sort((a, b) => a.username.localeCompare(b.username)).map(view);
  }

  async create(input: AccountInput, id: string = randomUUID()): Promise<AccountResult> {
    const problem = this.check(input);
    if (problem) return { ok: false, code: problem };
    if ([...this.records.values()].some((r) => r.username === input.username)) return { ok: false, code: 'account.usernameTaken' };
    const record: AccountRecord = {
      id,
      username: input.username,
      displayName: input.displayName.trim(),
      role: input.role,
      queues: [...new Set(input.queues)],
      passwordHash: await hashPassword(input.password, this.hashParams),
      createdAt: this.clock.now(),
      disabled: false,
    };
    // The await above yields: check the name again before writing, so two creates cannot both win.
    if ([...this.records.values()].some((r) => r.username === input.username)) return { ok: false, code: 'account.usernameTaken' };
    this.records.set(record.id, record);
    this.changed(record.id);
    return { ok: true, account: view(record) };
  }

  async update(id: string, patch: AccountPatch): Promise<AccountResult> {
    const current = this.records.get(id);
    if (!current) return { ok: false, code: 'account.notFound' };
    const next = { ...current, ...patch, queues: patch.queues ?? current.queues };
    const problem = this.check({ ...next, password: patch.password ?? 'x'.repeat(PASSWORD_MIN) });
    if (problem) return { ok: false, code: problem };
    const losesAdmin = current.role === 'admin' && (next.role !== 'admin' || next.disabled);
    if (losesAdmin && this.activeAdmins() <= 1) return { ok: false, code: 'account.lastAdmin' };
    const passwordHash = patch.password !== undefined ? await hashPassword(patch.password, this.hashParams) : current.passwordHash;
    const record = this.records.get(id);
    if (!record) return { ok: false, code: 'account.notFound' };
    const queues = [...new Set(next.queues)];
    const totpRequired = patch.totpRequired ?? record.totpRequired === true;
    const totpReset = patch.totpReset === true && record.totp !== undefined;
    // What a sign-in grants changed: every sign-in of this account ends (its generation is older).
    // Also when two-step sign-in becomes required (a sign-in without it must not go on) or is reset.
    const grants = patch.password !== undefined || next.role !== record.role || next.disabled !== record.disabled
      || queues.length !== record.queues.length || queues.some((q) => !record.queues.includes(q))
      || (totpRequired && record.totpRequired !== true) || totpReset;
    Object.assign(record, {
      displayName: next.displayName.trim(),
      role: next.role,
      queues,
      disabled: next.disabled,
      passwordHash,
      totpRequired,
      generation: (record.generation ?? 0) + (grants ? 1 : 0),
    });
    if (totpReset) this.clearTotp(record);
    this.changed(id);
    return { ok: true, account: view(record) };
  }

  async remove(id: string): Promise<AccountResult> {
    const record = this.records.get(id);
    if (!record) return { ok: false, code: 'account.notFound' };
    if (record.role === 'admin' && !record.disabled && this.activeAdmins() <= 1) return { ok: false, code: 'account.lastAdmin' };
    this.records.delete(id);
    this.changed(id);
    return { ok: true, account: view(record) };
  }

  /**
   * The second step of a sign-in whose password was right: the current code of the account's
   * authenticator (within a step either side, each step once), or one unused recovery code (then
   * spent). Without two-step sign-in set up: 'none', whatever `code` is.
   */
  async secondFactor(id: string, code: string | undefined, claim: ClaimOnce): Promise<SecondFactor> {
    const record = this.records.get(id);
    if (!record?.totp) return 'none';
    const given = code?.trim() ?? '';
    if (!given) return 'missing';
    const claimed = await this.claimStep(id, record.totp.secret, given, claim);
    if (claimed !== null) return claimed ? 'ok' : 'wrong';
    const hash = recoveryHash(given);
    if (!record.recoveryHashes?.includes(hash)) return 'wrong';
    if (!(await claim(`recovery:${id}:${hash}`, 24 * 60 * 60_000))) return 'wrong';
    const current = this.records.get(id);
    if (current) {
      current.recoveryHashes = (current.recoveryHashes ?? []).filter((h) => h !== hash);
      this.changed(id, false);
    }
    return 'ok';
  }

  /** Starts setting up two-step sign-in: a new secret, shown once, that waits TOTP_SETUP_MS for its first code. */
  async startTotp(id: string, issuer: string): Promise<{ ok: true; secret: string; uri: string; expiresAt: number } | { ok: false; code: ErrorCode }> {
    const record = this.records.get(id);
    if (!record) return { ok: false, code: 'account.notFound' };
    if (record.totp) return { ok: false, code: 'totp.alreadyOn' };
    const secret = newTotpSecret();
    const expiresAt = this.clock.now() + TOTP_SETUP_MS;
    record.totpPending = { secret, until: expiresAt };
    this.changed(id, false);
    return { ok: true, secret, uri: otpauthUri(issuer, record.username, secret), expiresAt };
  }

  /**
   * Confirms the set-up with a code from the app: two-step sign-in is on, with ten new recovery
   * codes (returned this once, stored hashed). Every other sign-in of the account ends.
   */
  async confirmTotp(id: string, code: string, claim: ClaimOnce): Promise<{ ok: true; recoveryCodes: string[] } | { ok: false; code: ErrorCode }> {
    const record = this.records.get(id);
    if (!record) return { ok: false, code: 'account.notFound' };
    if (record.totp) return { ok: false, code: 'totp.alreadyOn' };
    const pending = record.totpPending;
    if (!pending || pending.until <= this.clock.now()) return { ok: false, code: 'totp.notStarted' };
    if (!(await this.claimStep(id, pending.secret, code, claim))) return { ok: false, code: 'totp.codeInvalid' };
    const recoveryCodes = newRecoveryCodes();
    const current = this.records.get(id);
    if (!current || current.totpPending !== pending) return { ok: false, code: 'totp.notStarted' };
    delete current.totpPending;
    current.totp = { secret: pending.secret, since: this.clock.now() };
    current.recoveryHashes = recoveryCodes.map(recoveryHash);
    current.generation = (current.generation ?? 0) + 1;
    this.changed(id);
    return { ok: true, recoveryCodes };
  }

  /** Turns two-step sign-in off (the route checked a code first); refused while an admin requires it. */
  async disableTotp(id: string): Promise<{ ok: true } | { ok: false; code: ErrorCode }> {
    const record = this.records.get(id);
    if (!record) return { ok: false, code: 'account.notFound' };
    if (record.totpRequired) return { ok: false, code: 'totp.required' };
    this.clearTotp(record);
    record.generation = (record.generation ?? 0) + 1;
    this.changed(id);
    return { ok: true };
  }

  /**
   * Whether `code` is the code of a step near now for `secret`, claimed for this account: null when
   * it matches no step, false when it matches one already used (a step, once used, is refused for
   * as long as it could still match, on every node).
   */
  private async claimStep(id: string, secret: string, code: string, claim: ClaimOnce): Promise<boolean | null> {
    const step = matchTotp(secret, code.replace(/\s/g, ''), this.clock.now());
    return step === null ? null : claim(`totp:${id}:${step}`, TOTP_STEP_MS * 4);
  }

  private clearTotp(record: AccountRecord): void {
    delete record.totp;
    delete record.totpPending;
    delete record.recoveryHashes;
  }

  /** Another node changed the accounts: take its version, and tell listeners which accounts differ. */
  replace(records: AccountRecord[]): void {
    const incoming = new Map(records.map((r) => [r.id, r]));
    const changed = [...new Set([...this.records.keys(), ...incoming.keys()])].filter(
      (id) => JSON.stringify(this.records.get(id)) !== JSON.stringify(incoming.get(id)),
    );
    this.records.clear();
    for (const [id, record] of incoming) this.records.set(id, record);
    for (const id of changed) this.listeners.forEach((listener) => listener(id));
  }

  /** Resolves once every change so far is on disk; rejects if the last write failed. */
  flush(): Promise<void> {
    return this.lastWrite;
  }

  private check(input: { username: string; displayName: string; password: string; role: AccountRole; queues: string[] }): ErrorCode | null {
    if (!USERNAME.test(input.username)) return 'account.invalidUsername';
    const name = input.displayName.trim();
    if (name.length < 1 || name.length > 100) return 'account.invalidName';
    if (input.password.length < PASSWORD_MIN || input.password.length > 200) return 'account.weakPassword';
    if (input.role !== 'admin' && input.role !== 'analyst') return 'account.invalidQueues';
    if (!input.queues.every((q) => this.queueIds.has(q))) return 'account.invalidQueues';
    return null;
  }

  private activeAdmins(): number {
    return [...this.records.values()].filter((r) => r.role === 'admin' && !r.disabled).length;
  }

  private changed(id: string, notify = true): void {
    const snapshot = [...this.records.values()].map((r) => ({ ...r, queues: [...r.queues] }));
    const write = this.writes.then(() => this.repository.persist(snapshot));
    // A failed write must not block the next ones; flush() still reports it.
    this.writes = write.catch(() => undefined);
    this.lastWrite = write;
    if (notify) this.listeners.forEach((listener) => listener(id));
  }
}
