import { createHmac } from 'node:crypto';
import type { IceConfig } from '../protocol/index.js';
import type { Clock } from './clock.js';
import type { Config } from './config.js';

/** Hands each session member the ICE servers to use. An interface, so tests and deployments can differ. */
export interface IceServerIssuer {
  issue(memberId: string): IceConfig;
  /** How long after issuing to send a member fresh credentials; null when they never expire. */
  readonly refreshAfterMs: number | null;
}

export type TurnConfig = Pick<Config, 'turnSecret' | 'turnUrls' | 'stunUrls' | 'turnCredentialTtlS' | 'iceTransportPolicy'>;

/**
 * coturn's REST credentials (use-auth-secret): username "<expiry unix seconds>:<id>", password
 * base64(HMAC-SHA1(secret, username)). coturn recomputes the HMAC and refuses an expired or forged
 * pair, so the static secret never leaves the servers and a leaked credential dies on its own.
 */
export function issueTurnCredentials(secret: string, id: string, expiresAtS: number): { username: string; credential: string } {
  const username = `${expiresAtS}:${id}`;
  const credential = createHmac('sha1', secret).update(username).digest('base64');
  return { username, credential };
}

export class RestTurnIssuer implements IceServerIssuer {
  constructor(private readonly config: TurnConfig, private readonly clock: Clock) {}

  /**
   * A third of the lifetime: coturn refuses to refresh an allocation, a permission or a channel
   * whose credential has expired, so a member must have moved to new credentials (the customer's
   * page restarts ICE on a relayed path) well before. At any moment both members' credentials
   * then have two thirds of their life left, more than one refresh period.
   */
  get refreshAfterMs(): number | null {
    const { turnSecret, turnUrls, turnCredentialTtlS } = this.config;
    return turnSecret && turnUrls.length > 0 ? Math.floor((turnCredentialTtlS * 1000) / 3) : null;
  }

  issue(memberId: string): IceConfig {
    const { turnSecret, turnUrls, stunUrls, turnCredentialTtlS, iceTransportPolicy } = this.config;
    const iceServers: IceConfig['iceServers'] = [];
    if (turnSecret && turnUrls.length > 0) {
      const expiresAtS = Math.floor(this.clock.now() / 1000) + turnCredentialTtlS;
      // turns: over TCP/443 first: it is the one that gets through firewalls that allow only HTTPS.
      iceServers.push({ urls: turnUrls, ...issueTurnCredentials(turnSecret, memberId, expiresAtS) });
    }
    if (stunUrls.length > 0) iceServers.push({ urls: stunUrls });
    return { iceServers, iceTransportPolicy };
  }
}
