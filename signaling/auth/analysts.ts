import type { AnalystConfig } from '../config.js';
import { hashPassword, verifyPassword } from './passwords.js';

export interface Analyst {
  id: string;
  username: string;
  displayName: string;
  queues: string[];
}

interface StoredAnalyst extends Analyst {
  passwordHash: string;
}

// A hash to compare against when the user name is unknown, so both failures take the same time.
let decoyHash: Promise<string> | undefined;

/** The analysts who may sign in, with their queues. Passwords are kept only as scrypt hashes. */
export class AnalystDirectory {
  private constructor(private readonly byUsername: Map<string, StoredAnalyst>) {}

  static async fromConfig(analysts: AnalystConfig[]): Promise<AnalystDirectory> {
    const entries = await Promise.all(
      analysts.map(async ({ password, ...rest }) => [rest.username, { ...rest, passwordHash: await hashPassword(password) }] as const),
    );
    return new AnalystDirectory(new Map(entries));
  }

  async authenticate(username: string, password: string): Promise<Analyst | null> {
    const found = this.byUsername.get(username);
    decoyHash ??= hashPassword('decoy');
    const ok = await verifyPassword(password, found?.passwordHash ?? (await decoyHash));
    if (!found || !ok) return null;
    const { passwordHash: _hash, ...analyst } = found;
    return analyst;
  }

  byId(id: string): Analyst | undefined {
    for (const stored of this.byUsername.values()) {
      if (stored.id === id) {
        const { passwordHash: _hash, ...analyst } = stored;
        return analyst;
      }
    }
    return undefined;
  }
}
