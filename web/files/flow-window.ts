/**
 * End-to-end flow control for file transfers, clocked by the receiver's acknowledgements (no timers,
 * so it keeps its pace in a background tab, where browsers throttle timers).
 *
 * Why: the data channel's own buffers sit below the point where queues build. When the receiving
 * side is the bottleneck, bytes pile up in front of it and everything else on the connection
 * (chat, pushed links, remote-control input) waits behind them. So the sender keeps at most
 * `window` bytes unacknowledged and sizes that window by delay, LEDBAT-style: it grows while the
 * measured queuing delay (ack round trip minus the smallest one seen) is under the target, and
 * shrinks when it is over, so the queue holds about `targetMs` of data: full speed, short queue.
 */
export interface FlowWindowOptions {
  targetMs: number;
  minWindow: number;
  maxWindow: number;
  initialWindow: number;
}

/**
 * The receiver acknowledges every ACK_EVERY_BYTES. The window must stay above twice that, or the
 * sender could stop short of the next acknowledgement and both sides would wait for each other.
 */
export const ACK_EVERY_BYTES = 256 * 1024;

/**
 * Why a 2 MiB floor: under load the round trip of an ack is long whatever the window (mostly the
 * two browsers waiting for CPU, not a queue), so the delay target always read "too much queue"
 * and, with a smaller floor, the sender idled between acks. Files travel on a connection of their
 * own (file-connection.ts), so what they keep in flight no longer delays control messages, and a larger
 * floor buys throughput (figures: docs/benchmarks.md). The delay target still shrinks the window toward the floor when a real
 * queue builds (a slow receiving disk, a slow network).
 */
export const FLOW_DEFAULTS: FlowWindowOptions = {
  targetMs: 12,
  minWindow: 8 * ACK_EVERY_BYTES,
  maxWindow: 16 * 1024 * 1024,
  initialWindow: 8 * ACK_EVERY_BYTES,
};

export class FlowWindow {
  window: number;
  private baseRtt = Number.POSITIVE_INFINITY;
  private lastDecreaseAt = Number.NEGATIVE_INFINITY;
  /** Send time of each chunk end offset, to turn an ack into a round-trip sample. */
  private readonly sentAt: Array<[offset: number, at: number]> = [];

  constructor(private readonly options: FlowWindowOptions = FLOW_DEFAULTS) {
    this.window = options.initialWindow;
  }

  noteSent(endOffset: number, at: number): void {
    this.sentAt.push([endOffset, at]);
  }

  /** Records an acknowledgement of everything up to `ackedOffset`; returns the RTT sample (ms) or null. */
  onAck(ackedOffset: number, at: number, ackedBytes: number): number | null {
    let sample: number | null = null;
    while (this.sentAt.length > 0 && this.sentAt[0][0] <= ackedOffset) sample = at - this.sentAt.shift()![1];
    if (sample === null) return null;
    this.baseRtt = Math.min(this.baseRtt, sample);
    const queueMs = sample - this.baseRtt;
    const { targetMs, minWindow, maxWindow } = this.options;
    if (queueMs > targetMs) {
      // At most one decrease per round trip: later acks of the same flight carry the same news.
      if (at - this.lastDecreaseAt >= sample) {
        this.window = Math.max(minWindow, Math.floor(this.window * 0.8));
        this.lastDecreaseAt = at;
      }
    } else {
      // Grow in proportion to how far under the target the queue is (about +1 window per RTT at best).
      const headroom = (targetMs - queueMs) / targetMs;
      this.window = Math.min(maxWindow, Math.floor(this.window + headroom * ackedBytes));
    }
    return sample;
  }

  canSend(sent: number, acked: number): boolean {
    return sent - acked < this.window;
  }
}
