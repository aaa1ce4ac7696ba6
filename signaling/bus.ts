import type { ServerFrame } from '../protocol/index.js';

/** A message for a connection that lives on another signaling node. */
export type BusMessage =
  | { kind: 'send'; connectionId: string; frame: ServerFrame }
  | { kind: 'close'; connectionId: string; code: number; reason: string };

/**
 * Delivers frames to connections on other nodes. Connection ids are "<nodeId>.<uuid>", so the
 * owner of any connection is known from its id. Alone, a node has no one to deliver to.
 */
export interface Bus {
  readonly nodeId: string;
  publish(nodeId: string, message: BusMessage): void;
  onMessage(handler: (message: BusMessage) => void): void;
  close(): Promise<void>;
}

export class LocalBus implements Bus {
  readonly nodeId = 'local';
  publish(): void {
    // One node: every connection is local, nothing to publish.
  }
  onMessage(): void {}
  async close(): Promise<void> {}
}

export const nodeOf = (connectionId: string): string => connectionId.slice(0, connectionId.indexOf('.'));
