import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { RedisLink } from '../redis/link.js';

export const LOGIN_COOKIE = 'rd_login';

/** Signed-in analysts: an opaque random cookie value → account id, until it expires. */
export interface LoginSessions {
  open(analystId: string): Promise<string>;
  /** The account id for a cookie value, or null when unknown or expired. */
  resolve(id: string | undefined): Promise<string | null>;
  close(id: string | undefined): Promise<void>;
}

const newSessionId = () => randomBytes(24).toString('base64url');

/** One node: in memory. */
export class MemoryLoginSessions implements LoginSessions {
  private readonly sessions = new Map<string, { analystId: string; expiresAt: number }>();

  constructor(private readonly clock: Clock, private readonly ttlMs: number) {}

  async open(analystId: string): Promise<string> {
    const id = newSessionId();
    this.sessions.set(id, { analystId, expiresAt: this.clock.now() + this.ttlMs });
    return id;
  }

  async resolve(id: string | undefined): Promise<string | null> {
    if (!id) return null;
    const session = this.sessions.get(id);
    if (!session) return null;
    if (session.expiresAt <= this.clock.now()) {
      this.sessions.delete(id);
      return null;
    }
    return session.analystId;
  }

  async close(id: string | undefined): Promise<void> {
    if (id) this.sessions.delete(id);
  }
}

/** Several nodes: in Redis, so a sign-in on one node works on all; Redis expires them. */
export class RedisLoginSessions implements LoginSessions {
  constructor(private readonly link: RedisLink, private readonly ttlMs: number) {}

  async open(analystId: string): Promise<string> {
    const id = newSessionId();
    await this.link.cmd.set(this.link.key(`login:${id}`), analystId, 'PX', this.ttlMs);
    return id;
  }

  async resolve(id: string | undefined): Promise<string | null> {
    if (!id || !/^[A-Za-z0-9_-]{1,64}$/.test(id)) return null;
    return this.link.cmd.get(this.link.key(`login:${id}`));
  }

  async close(id: string | undefined): Promise<void> {
    if (id && /^[A-Za-z0-9_-]{1,64}$/.test(id)) await this.link.cmd.del(this.link.key(`login:${id}`));
  }
}
