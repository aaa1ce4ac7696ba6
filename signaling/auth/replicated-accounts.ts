import type { RedisLink } from '../redis/link.js';
import type { AccountDocument, AccountRecord, AccountRepository, JsonFileAccountRepository } from './account-store.js';

// Sets the shared copy only if it is missing or older than ours: a refill never overwrites a newer
// change another node made meanwhile. KEYS[1]: the accounts key; ARGV[1]: the document; ARGV[2]: its revision.
const REFILL = `
local current = redis.call('GET', KEYS[1])
if current then
  local ok, decoded = pcall(cjson.decode, current)
  if ok and type(decoded) == 'table' and (tonumber(decoded.revision) or 0) >= tonumber(ARGV[2]) then return 0 end
end
redis.call('SET', KEYS[1], ARGV[1])
return 1
`;

/**
 * Several nodes: Redis holds the copy every node reads and is told about when it changes; each
 * node's DATA_DIR file holds a durable copy. Redis is a cache that is re-filled, never the only
 * copy: when it comes back empty (restarted without persistence) or older (re-filled by a node
 * that was down while accounts changed), the newest copy a node holds goes back into it. Every
 * change raises the revision; between two writes at the same revision, the last one wins.
 */
export class ReplicatedAccountRepository implements AccountRepository {
  readonly location: string;
  private latest: AccountDocument = { revision: 0, accounts: [] };
  private onChange: (() => void) | undefined;

  constructor(
    private readonly link: RedisLink,
    private readonly nodeId: string,
    private readonly file: JsonFileAccountRepository,
  ) {
    this.location = `redis (durable copy in ${file.location})`;
    link.onReconnect(() => void this.resync().catch(() => undefined));
  }

  async load(): Promise<AccountRecord[]> {
    const [shared, local] = await Promise.all([this.readShared(), this.file.loadDocument()]);
    const newest = [shared, local, this.latest].reduce((a, b) => (b && b.revision > (a?.revision ?? -1) ? b : a));
    if (!newest) return [];
    if (!shared || shared.revision < newest.revision) await this.refill(newest);
    if (local.revision < newest.revision) await this.file.persistDocument(newest);
    this.latest = newest;
    return newest.accounts;
  }

  async persist(records: AccountRecord[]): Promise<void> {
    const document = { revision: this.latest.revision + 1, accounts: records };
    this.latest = document;
    await this.link.cmd.set(this.key, JSON.stringify({ version: 1, ...document }));
    await this.link.publish('accounts', this.nodeId);
    await this.file.persistDocument(document);
  }

  async watch(onChange: () => void): Promise<void> {
    this.onChange = onChange;
    await this.link.listen('accounts', (from) => from !== this.nodeId && onChange());
  }

  /** After Redis comes back: put our copy back if it lost it, or take a newer one. */
  async resync(): Promise<void> {
    const shared = await this.readShared();
    if (!shared || shared.revision < this.latest.revision) await this.refill(this.latest);
    else if (shared.revision > this.latest.revision) this.onChange?.();
  }

  private get key(): string {
    return this.link.key('accounts');
  }

  private async readShared(): Promise<AccountDocument | undefined> {
    const raw = await this.link.cmd.get(this.key);
    if (!raw) return undefined;
    const parsed = JSON.parse(raw) as { revision?: number; accounts: AccountRecord[] };
    return { revision: parsed.revision ?? 0, accounts: parsed.accounts };
  }

  private async refill(document: AccountDocument): Promise<void> {
    if (document.revision === 0 && document.accounts.length === 0) return;
    const written = await this.link.cmd.eval(REFILL, 1, this.key, JSON.stringify({ version: 1, ...document }), String(document.revision));
    if (written === 1) await this.link.publish('accounts', this.nodeId);
  }
}
