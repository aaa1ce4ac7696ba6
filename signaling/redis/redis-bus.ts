import type { Bus, BusMessage } from '../bus.js';
import type { RedisLink } from './link.js';

/** Frames for sockets on other nodes, over Redis pub/sub: one channel per node. */
export class RedisBus implements Bus {
  private handler: ((message: BusMessage) => void) | null = null;

  private constructor(private readonly link: RedisLink, readonly nodeId: string) {}

  static async open(link: RedisLink, nodeId: string): Promise<RedisBus> {
    const bus = new RedisBus(link, nodeId);
    await link.listen(`node:${nodeId}`, (raw) => {
      try {
        bus.handler?.(JSON.parse(raw) as BusMessage);
      } catch {
        // a malformed message on our channel: nothing to deliver
      }
    });
    return bus;
  }

  publish(nodeId: string, message: BusMessage): void {
    void this.link.publish(`node:${nodeId}`, JSON.stringify(message)).catch(() => undefined);
  }

  onMessage(handler: (message: BusMessage) => void): void {
    this.handler = handler;
  }

  async close(): Promise<void> {}
}
