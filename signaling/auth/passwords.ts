import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const scryptAsync = promisify(scrypt) as (pw: string, salt: Buffer, len: number, opts: object) => Promise<Buffer>;

export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}

/**
 * OWASP's minimum for scrypt (Password Storage Cheat Sheet): N=2^17, r=8, p=1, ~128 MiB and about
 * a tenth of a second per hash. Stored with each hash, so they can be raised later: a hash made
 * with weaker ones is made again on the account's next successful sign-in (needsRehash()).
 */
export const SCRYPT_PARAMS: ScryptParams = { N: 1 << 17, r: 8, p: 1 };
/** Hashes stored before the parameters were: "scrypt$<salt>$<hash>", made with these. */
const LEGACY_PARAMS: ScryptParams = { N: 1 << 15, r: 8, p: 1 };
const KEY_LENGTH = 32;

const memoryFor = ({ N, r }: ScryptParams) => 128 * N * r * 2;

/** "scrypt$N=131072,r=8,p=1$<salt b64>$<hash b64>" */
export async function hashPassword(password: string, params: ScryptParams = SCRYPT_PARAMS): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scryptAsync(password, salt, KEY_LENGTH, { ...params, maxmem: memoryFor(params) });
  return `scrypt$N=${params.N},r=${params.r},p=${params.p}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

/** The parameters a stored hash was made with; null when it is not one of ours. */
export function storedParams(stored: string): ScryptParams | null {
  const parts = stored.split('$');
  if (parts[0] !== 'scrypt') return null;
  if (parts.length === 3) return LEGACY_PARAMS;
  const match = /^N=(\d+),r=(\d+),p=(\d+)$/.exec(parts[1] ?? '');
  if (parts.length !== 4 || !match) return null;
  const params = { N: Number(match[1]), r: Number(match[2]), p: Number(match[3]) };
  // A file edited by hand must not make a sign-in allocate gigabytes.
  return params.N >= 2 && params.N <= 1 << 20 && (params.N & (params.N - 1)) === 0 && params.r >= 1 && params.r <= 32 && params.p >= 1 && params.p <= 16 ? params : null;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const params = storedParams(stored);
  if (!params) return false;
  const [saltB64, hashB64] = stored.split('$').slice(-2);
  const expected = Buffer.from(hashB64, 'base64');
  if (expected.length !== KEY_LENGTH) return false;
  const actual = await scryptAsync(password, Buffer.from(saltB64, 'base64'), expected.length, { ...params, maxmem: memoryFor(params) });
  return timingSafeEqual(expected, actual);
}

/** A stored hash made with weaker parameters than `current`: to be made again at the next sign-in. */
export function needsRehash(stored: string, current: ScryptParams = SCRYPT_PARAMS): boolean {
  const params = storedParams(stored);
  return !params || params.N < current.N || params.r < current.r || params.p < current.p;
}
