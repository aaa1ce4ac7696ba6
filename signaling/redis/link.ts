import { Redis } from 'ioredis';

/**
 * The node's two Redis connections: one for commands, one subscribed to the channels the node
 * listens to (ticket changes, its own bus channel, account changes). Keys and channels are prefixed.
 */
export class RedisLink {
  readonly cmd: Redis;
  private readonly sub: Redis;
  private readonly handlers = new Map<string, (message: string) => void>();
  private readonly reconnectHandlers: Array<() => void> = [];
  private connectedOnce = false;

  private constructor(url: string, readonly prefix: string) {
    // Fail fast at start-up; once running, ioredis reconnects on its own.
    this.cmd = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 3 });
    this.sub = new Redis(url, { lazyConnect: true });
    this.sub.on('message', (channel: string, message: string) => this.handlers.get(channel)?.(message));
    // ioredis subscribes again by itself after a reconnect, but what was published while the
    // connection was down is lost: tell the owners of replicas to read the state again.
    this.sub.on('ready', () => {
      if (!this.connectedOnce) return;
      for (const handler of this.reconnectHandlers) handler();
    });
  }

  /**
   * Connects both, retrying for `waitMs`: containers start together, and a node that gives up
   * before the store listens would only be restarted, noisily. Fails with what to check after that.
   */
  static async connect(url: string, prefix: string, waitMs = 0, onRetry: (message: string) => void = () => undefined): Promise<RedisLink> {
    const shown = url.replace(/\/\/[^@]*@/, '//***@');
    const deadline = Date.now() + waitMs;
    for (let attempt = 1; ; attempt++) {
      const link = new RedisLink(url, prefix);
      try {
        await Promise.all([link.cmd.connect(), link.sub.connect()]);
        link.connectedOnce = true;
        return link;
      } catch (err) {
        link.cmd.disconnect();
        link.sub.disconnect();
        const reason = (err as Error).message;
        if (Date.now() >= deadline) {
          throw new Error(`Cannot reach Redis at ${shown}: ${reason}${waitMs > 0 ? ` (tried for ${Math.round(waitMs / 1000)} s)` : ''}. Check REDIS_URL and that the store runs.`);
        }
        onRetry(`Redis at ${shown} not reachable yet (${reason}); trying again`);
        await new Promise((resolve) => setTimeout(resolve, Math.min(2000, 250 * attempt)));
      }
    }
  }

  /** Both connections are up (readiness: a node that cannot reach Redis takes no new users). */
  get ready(): boolean {
    return this.cmd.status === 'ready' && this.sub.status === 'ready';
  }

  /** Called each time the subscriber connection is back after a loss (not on the first connect). */
  onReconnect(handler: () => void): void {
    this.reconnectHandlers.push(handler);
  }

  key(name: string): string {
    return `${this.prefix}${name}`;
  }

  async listen(channel: string, handler: (message: string) => void): Promise<void> {
    this.handlers.set(this.key(channel), handler);
    await this.sub.subscribe(this.key(channel));
  }

  async publish(channel: string, message: string): Promise<void> {
    await this.cmd.publish(this.key(channel), message);
  }

  async close(): Promise<void> {
    await Promise.allSettled([this.cmd.quit(), this.sub.quit()]);
  }
}
