import { KNOWN_ADDRESS_TTL_MS, KNOWN_ADDRESSES_PER_USER, type KnownAddresses } from '../auth/known-addresses.js';
import type { LoginThrottle, ThrottleKey, ThrottleOptions } from '../auth/login-throttle.js';
import type { UsedCodes } from '../auth/used-codes.js';
import type { Clock } from '../clock.js';
import type { RedisLink } from './link.js';

/**
 * The lock-out's rules (auth/login-throttle.ts: failedEntry, forgivenEntry) as one Lua script, so
 * that each call is atomic across every node. KEYS: the entries, the first ARGV[7] of them counted
 * (their limits follow), the rest only checked. Each entry is a hash {failures, last, lockedUntil}
 * that expires once it can no longer matter.
 */
const THROTTLE = `
local op, now = ARGV[1], tonumber(ARGV[2])
local lockMs, maxLock, forget, ttl = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
local counted = tonumber(ARGV[7])
local function waitFor()
  local w = 0
  for i = 1, #KEYS do
    local untilAt = tonumber(redis.call('HGET', KEYS[i], 'lockedUntil') or '0')
    if untilAt - now > w then w = untilAt - now end
  end
  return w
end
local function fail(i)
  local limit = tonumber(ARGV[7 + i])
  local e = redis.call('HMGET', KEYS[i], 'failures', 'last', 'lockedUntil')
  local failures, last, lockedUntil = tonumber(e[1]), tonumber(e[2]), tonumber(e[3]) or 0
  if failures == nil or now - last > forget then failures, lockedUntil = 1, 0 else failures = failures + 1 end
  local over = failures - limit
  if over >= 0 then lockedUntil = now + math.min(maxLock, lockMs * 2 ^ over) end
  redis.call('HSET', KEYS[i], 'failures', failures, 'last', now, 'lockedUntil', string.format('%d', lockedUntil))
  redis.call('PEXPIRE', KEYS[i], ttl)
end
if op == 'wait' then return waitFor() end
if op == 'begin' then
  local w = waitFor()
  if w > 0 then return w end
  for i = 1, counted do fail(i) end
  return 0
end
if op == 'fail' then
  for i = 1, counted do fail(i) end
  return 0
end
if op == 'forgive' then
  for i = 1, counted do
    local failures = tonumber(redis.call('HGET', KEYS[i], 'failures') or '0') - 1
    if failures <= 0 then
      redis.call('DEL', KEYS[i])
    elseif failures - tonumber(ARGV[7 + i]) < 0 then
      redis.call('HSET', KEYS[i], 'failures', failures, 'lockedUntil', 0)
    else
      redis.call('HSET', KEYS[i], 'failures', failures)
    end
  end
  return 0
end
return redis.error_reply('unknown op ' .. op)
`;

/** The lock-out shared by every node (one Redis script per call). */
export class RedisLoginThrottle implements LoginThrottle {
  constructor(private readonly link: RedisLink, private readonly clock: Clock, private readonly options: ThrottleOptions) {}

  begin(count: ThrottleKey[], checkOnly: string[] = []): Promise<number> {
    return this.run('begin', count, checkOnly);
  }

  async forgive(keys: ThrottleKey[]): Promise<void> {
    await this.run('forgive', keys);
  }

  async fail(keys: ThrottleKey[]): Promise<void> {
    await this.run('fail', keys);
  }

  retryAfterMs(keys: string[]): Promise<number> {
    return this.run('wait', [], keys);
  }

  async succeed(keys: string[]): Promise<void> {
    if (keys.length > 0) await this.link.cmd.del(...keys.map((key) => this.entryKey(key)));
  }

  private entryKey(key: string): string {
    return this.link.key(`lock:${key}`);
  }

  private async run(op: string, counted: ThrottleKey[], checked: string[] = []): Promise<number> {
    const { lockMs, maxLockMs, forgetAfterMs } = this.options;
    const keys = [...counted.map(({ key }) => key), ...checked].map((key) => this.entryKey(key));
    const args = [op, this.clock.now(), lockMs, maxLockMs, forgetAfterMs, forgetAfterMs + maxLockMs, counted.length, ...counted.map(({ limit }) => limit)];
    return Number(await this.link.cmd.eval(THROTTLE, keys.length, ...keys, ...args.map(String)));
  }
}

/** Known addresses shared by every node: one hash per user name, address → when. */
export class RedisKnownAddresses implements KnownAddresses {
  constructor(private readonly link: RedisLink, private readonly clock: Clock) {}

  async has(username: string, address: string): Promise<boolean> {
    const at = await this.link.cmd.hget(this.userKey(username), address);
    return at !== null && this.clock.now() - Number(at) < KNOWN_ADDRESS_TTL_MS;
  }

  async remember(username: string, address: string): Promise<void> {
    const key = this.userKey(username);
    await this.link.cmd.hset(key, address, String(this.clock.now()));
    await this.link.cmd.pexpire(key, KNOWN_ADDRESS_TTL_MS);
    const all = await this.link.cmd.hgetall(key);
    const oldest = Object.entries(all)
      .sort(([, a], [, b]) => Number(b) - Number(a))
      .slice(KNOWN_ADDRESSES_PER_USER)
      .map(([addr]) => addr);
    if (oldest.length > 0) await this.link.cmd.hdel(key, ...oldest);
  }

  async forget(username: string): Promise<void> {
    await this.link.cmd.del(this.userKey(username));
  }

  private userKey(username: string): string {
    return this.link.key(`known:${username}`);
  }
}

/** Used one-time codes shared by every node: SET NX, so two nodes cannot both accept one code. */
export class RedisUsedCodes implements UsedCodes {
  constructor(private readonly link: RedisLink) {}

  async claim(key: string, ttlMs: number): Promise<boolean> {
    return (await this.link.cmd.set(this.link.key(`used:${key}`), '1', 'PX', ttlMs, 'NX')) === 'OK';
  }
}
