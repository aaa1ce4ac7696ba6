// A network link in userspace, for the `wan` benchmark: the kernel here has no netem, so delay,
// loss and a bandwidth limit are applied by this UDP relay in front of coturn. The browsers use it
// as their TURN server (turn:127.0.0.1:<port>, relay-only), so every media and data packet crosses
// it twice: sender → coturn, and coturn → receiver. Each client address gets an upstream socket of
// its own towards coturn (coturn sees one client per browser connection, as through a NAT).
//
// Per direction: a random loss, then one bottleneck queue that every flow of that direction shares
// (a packet leaves when the link has sent the ones before it at `rateBps`; beyond `bufferMs` of
// queue it is dropped, like a router's buffer: a file's packets delay a chat message behind them,
// as on one DSL line), then the one-way delay.
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';

export interface LinkProfile {
  name: string;
  /** Round trip the two people see, in ms (each crossing adds a quarter of it each way). */
  rttMs: number;
  /** Packets lost end to end (each of the two crossings loses about half of it). */
  loss: number;
  /** Bits per second, each direction (towards coturn, and back), shared by every flow. */
  rateBps: number;
  /** The bottleneck's buffer, in ms of queue at the rate. */
  bufferMs?: number;
}

/** One direction of one crossing: loss, bottleneck, delay. */
class Direction {
  private nextFree = 0;
  dropped = 0;
  passed = 0;
  constructor(private readonly profile: LinkProfile, private readonly lossPerCrossing: number) {}

  /** Calls `deliver` when the packet arrives at the other end, or never (lost, or queue full). */
  send(size: number, deliver: () => void): void {
    if (Math.random() < this.lossPerCrossing) return void (this.dropped += 1);
    const now = performance.now();
    const start = Math.max(now, this.nextFree);
    if (start - now > (this.profile.bufferMs ?? 50)) return void (this.dropped += 1);
    this.nextFree = start + ((size + 28) * 8 * 1000) / this.profile.rateBps;
    this.passed += 1;
    const at = this.nextFree + this.profile.rttMs / 4;
    setTimeout(deliver, Math.max(0, at - now));
  }
}

export interface RunningLink {
  port: number;
  /** Packets dropped by loss or a full queue, and passed, over every crossing. */
  counts(): { dropped: number; passed: number };
  close(): void;
}

export async function startLink(profile: LinkProfile, upstreamPort: number, upstreamHost = '127.0.0.1'): Promise<RunningLink> {
  // Two crossings end to end: 1 - (1 - p)^2 = loss.
  const lossPerCrossing = 1 - Math.sqrt(1 - profile.loss);
  const front = createSocket('udp4');
  const flows = new Map<string, Socket>();
  const up = new Direction(profile, lossPerCrossing);
  const down = new Direction(profile, lossPerCrossing);
  const all = [up, down];
  front.on('message', (packet: Buffer, from: RemoteInfo) => {
    const key = `${from.address}:${from.port}`;
    let upstream = flows.get(key);
    if (!upstream) {
      upstream = createSocket('udp4');
      upstream.on('message', (reply: Buffer) => down.send(reply.length, () => front.send(reply, from.port, from.address)));
      flows.set(key, upstream);
    }
    const to = upstream;
    up.send(packet.length, () => to.send(packet, upstreamPort, upstreamHost));
  });
  await new Promise<void>((resolve) => front.bind(0, '127.0.0.1', resolve));
  return {
    port: front.address().port,
    counts: () => all.reduce((sum, d) => ({ dropped: sum.dropped + d.dropped, passed: sum.passed + d.passed }), { dropped: 0, passed: 0 }),
    close() {
      front.close();
      for (const upstream of flows.values()) upstream.close();
    },
  };
}
