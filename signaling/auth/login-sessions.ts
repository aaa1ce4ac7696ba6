import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { RedisLink } from '../redis/link.js';

export const LOGIN_COOKIE = 'rd_login';

/**
 * The sign-in cookie's name and whether it is always Secure. Served over https (PUBLIC_URL is
 * https, or the server terminates TLS): `__Host-rd_login`, Secure, so neither plain http nor a
 * subdomain can set or overwrite it. Plain http on localhost: `rd_login`, Secure when the request
 * came over https.
 */
export function loginCookie(config: { publicUrl: string; tls: unknown }): { name: string; alwaysSecure: boolean } {
  const https = config.publicUrl.startsWith('https://') || config.tls !== null;
  return https ? { name: `__Host-${LOGIN_COOKIE}`, alwaysSecure: true } : { name: LOGIN_COOKIE, alwaysSecure: false };
}

/** Who a sign-in is, and the account's generation when it was made. */
export interface SignIn {
  analystId: string;
  generation: number;
}

/** Signed-in analysts: an opaque random cookie value → account id and generation, until it expires. */
export interface LoginSessions {
  open(analystId: string, generation: number): Promise<string>;
  /** The sign-in for a cookie value, or null when unknown or expired. */
  resolve(id: string | undefined): Promise<SignIn | null>;
  close(id: string | undefined): Promise<void>;
}

const newSessionId = () => randomBytes(24).toString('base64url');

/** One node: in memory. */
export class MemoryLoginSessions implements LoginSessions {
  private readonly sessions = new Map<string, SignIn & { expiresAt: number }>();

  constructor(private readonly clock: Clock, private readonly ttlMs: number) {}

  async open(analystId: string, generation: number): Promise<string> {
    const id = newSessionId();
    this.sessions.set(id, { analystId, generation, expiresAt: this.clock.now() + this.ttlMs });
    return id;
  }

  async resolve(id: string | undefined): Promise<SignIn | null> {
    if (!id) return null;
    const session = this.sessions.get(id);
    if (!session) return null;
    if (session.expiresAt <= this.clock.now()) {
      this.sessions.delete(id);
      return null;
    }
    return { analystId: session.analystId, generation: session.generation };
  }

  async close(id: string | undefined): Promise<void> {
    if (id) this.sessions.delete(id);
  }
}

/** Several nodes: in Redis, so a sign-in on one node works on all; Redis expires them. */
export class RedisLoginSessions implements LoginSessions {
  constructor(private readonly link: RedisLink, private readonly ttlMs: number) {}

  async open(analystId: string, generation: number): Promise<string> {
    const id = newSessionId();
    await this.link.cmd.set(this.link.key(`login:${id}`), `${analystId} ${generation}`, 'PX', this.ttlMs);
    return id;
  }

  async resolve(id: string | undefined): Promise<SignIn | null> {
    if (!id || !/^[A-Za-z0-9_-]{1,64}$/.test(id)) return null;
    const value = await this.link.cmd.get(this.link.key(`login:${id}`));
    if (!value) return null;
    const [analystId, generation = '0'] = value.split(' ');
    return { analystId, generation: Number(generation) };
  }

  async close(id: string | undefined): Promise<void> {
    if (id && /^[A-Za-z0-9_-]{1,64}$/.test(id)) await this.link.cmd.del(this.link.key(`login:${id}`));
  }
}
