import { randomBytes } from 'node:crypto';
import type { Clock } from '../clock.js';

export const LOGIN_COOKIE = 'rd_login';

interface LoginSession {
  analystId: string;
  expiresAt: number;
}

/** Signed-in analysts: an opaque random cookie value → who and until when. In memory only. */
export class LoginSessions {
  private readonly sessions = new Map<string, LoginSession>();

  constructor(private readonly clock: Clock, private readonly ttlMs: number) {}

  open(analystId: string): string {
    const id = randomBytes(24).toString('base64url');
    this.sessions.set(id, { analystId, expiresAt: this.clock.now() + this.ttlMs });
    return id;
  }

  /** The analyst id for a cookie value, or null when unknown or expired (expired ones are dropped). */
  resolve(id: string | undefined): string | null {
    if (!id) return null;
    const session = this.sessions.get(id);
    if (!session) return null;
    if (session.expiresAt <= this.clock.now()) {
      this.sessions.delete(id);
      return null;
    }
    return session.analystId;
  }

  close(id: string | undefined): void {
    if (id) this.sessions.delete(id);
  }
}
