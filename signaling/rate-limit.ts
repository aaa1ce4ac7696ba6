import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errorBody, type ErrorCode } from '../protocol/index.js';
import type { Redis } from 'ioredis';
import { addressKey } from './client-address.js';

/** Counts one request against its client's address (/64 for IPv6); the milliseconds to wait when over the limit, else 0. */
export type RequestLimit = (req: FastifyRequest) => Promise<number>;

export interface RequestLimits {
  login: RequestLimit;
  tickets: RequestLimit;
  helperPairing: RequestLimit;
  helperDownload: RequestLimit;
  /** Phone codes typed in the portal: per address... */
  codeRedeem: RequestLimit;
  /** ...and over the whole service (every address, every node: one budget). */
  codeRedeemTotal: RequestLimit;
}

/**
 * Requests per client address per one-minute window, with @fastify/rate-limit: in this node's
 * memory, or in Redis when there is one, so that every node counts against the same budget (N
 * nodes must not give an attacker N times the requests). Each limit has its own keys.
 */
export async function requestLimits(app: FastifyInstance, perMinute: { login: number; tickets: number; helperPairing: number; helperDownload: number; codeRedeem: number; codeRedeemTotal: number }, redis: { client: Redis; prefix: string } | null): Promise<RequestLimits> {
  await app.register(rateLimit, {
    global: false,
    timeWindow: 60_000,
    // Without Redis: enough entries that rotating addresses cannot push a busy one out.
    cache: 100_000,
    ...(redis ? { redis: redis.client, nameSpace: `${redis.prefix}rl:` } : {}),
    // A store error is an error (500), never a free pass.
    skipOnError: false,
  });
  const limit = (name: string, max: number, perAddress = true): RequestLimit => {
    const check = app.createRateLimit({ max, keyGenerator: perAddress ? (req) => `${name}:${addressKey(req.ip)}` : () => `${name}:all` });
    return async (req) => {
      const result = await check(req);
      return !result.isAllowed && result.isExceeded ? Math.max(1, result.ttl) : 0;
    };
  };
  return {
    login: limit('login', perMinute.login),
    tickets: limit('tickets', perMinute.tickets),
    helperPairing: limit('helper', perMinute.helperPairing),
    helperDownload: limit('helperdl', perMinute.helperDownload),
    codeRedeem: limit('code', perMinute.codeRedeem),
    codeRedeemTotal: limit('codeall', perMinute.codeRedeemTotal, false),
  };
}

/** The answer to a request over one of these limits: 429 with the seconds to wait, the one way every route says it. */
export function refuseOverLimit(reply: FastifyReply, waitMs: number, code: ErrorCode = 'request.rateLimited'): FastifyReply {
  return reply.code(429).header('retry-after', Math.ceil(waitMs / 1000)).send(errorBody(code));
}

/** Token bucket for one WebSocket connection: `rate` frames per second, bursts up to twice that. */
export class FrameBucket {
  private tokens: number;
  private last: number;

  constructor(private readonly rate: number, private readonly now: () => number) {
    this.tokens = rate * 2;
    this.last = now();
  }

  take(): boolean {
    const at = this.now();
    this.tokens = Math.min(this.rate * 2, this.tokens + ((at - this.last) / 1000) * this.rate);
    this.last = at;
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }
}
