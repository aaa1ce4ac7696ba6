import type { RedisLink } from './redis/link.js';

/**
 * Which signaling nodes are alive, so connections held by a crashed node count as dropped (their
 * people get the reconnection grace) instead of lingering forever.
 */
export interface NodeRegistry {
  /** Asks the shared registry itself (not a cache: a node started a moment ago is alive too). */
  isAlive(nodeId: string): Promise<boolean>;
  stop(): Promise<void>;
}

/** One node: only this one exists. */
export class LocalNodeRegistry implements NodeRegistry {
  constructor(private readonly nodeId: string) {}
  async isAlive(nodeId: string): Promise<boolean> {
    return nodeId === this.nodeId;
  }
  async stop(): Promise<void> {}
}

const BEAT_MS = 3000;
const TTL_MS = 10_000;

/** Several nodes: each refreshes a short-lived key in Redis; a node whose key expired is gone. */
export class RedisNodeRegistry implements NodeRegistry {
  private timer: NodeJS.Timeout | undefined;

  private constructor(private readonly link: RedisLink, private readonly nodeId: string) {}

  static async start(link: RedisLink, nodeId: string): Promise<RedisNodeRegistry> {
    const registry = new RedisNodeRegistry(link, nodeId);
    await registry.beat();
    registry.timer = setInterval(() => void registry.beat().catch(() => undefined), BEAT_MS);
    registry.timer.unref();
    return registry;
  }

  async isAlive(nodeId: string): Promise<boolean> {
    if (nodeId === this.nodeId) return true;
    return (await this.link.cmd.exists(this.link.key(`node:${nodeId}`))) === 1;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.link.cmd.del(this.link.key(`node:${this.nodeId}`)).catch(() => undefined);
  }

  private async beat(): Promise<void> {
    await this.link.cmd.set(this.link.key(`node:${this.nodeId}`), String(Date.now()), 'PX', TTL_MS);
  }
}
