import { createHmac } from 'node:crypto';
import type { IceConfig } from '../protocol/index.js';
import type { Clock } from './clock.js';
import type { Config } from './config.js';

/** Hands each session member the ICE servers to use. An interface, so tests and deployments can differ. */
export interface IceServerIssuer {
  issue(memberId: string): IceConfig;
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
