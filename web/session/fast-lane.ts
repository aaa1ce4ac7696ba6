// Small messages across a lossy link without waiting for SCTP's retransmission timer.
//
// On an ordered, reliable data channel a lost packet holds every message behind it until SCTP
// retransmits, and for a lone message (a click, a key, a ping) nothing follows that could trigger
// a fast retransmit: it waits for the retransmission timer, 400 ms or more (measured: control
// round trips p99 936 ms on a link with 2 % loss and 120 ms RTT). So each message still goes on
// its reliable channel, which guarantees it arrives and in order, and a small one also goes twice
// on the connection's "fast" channel (unordered, never retransmitted): at once and REPEAT_MS
// later, in another packet. The receiver delivers every message once, in the sender's order,
// from whichever copy comes first.
//
// No sequence number on the reliable channel: it is ordered and complete, so its k-th message is
// the sender's k-th. Only the fast copies carry their number ("c12 {…}": lane, number, space,
// message). A peer without the fast channel (an older page) gets the reliable messages as before.

/** The fast channel's id (pre-negotiated like the others, see CHANNEL_IDS). */
export const FAST_CHANNEL_ID = 103;
/** Messages up to this many characters get fast copies (one packet each, with room to spare). */
export const FAST_COPY_MAX = 1000;
/** The second fast copy follows the first by this much: another packet, still well under a round trip. */
export const REPEAT_MS = 20;
/** Fast copies further ahead than this of the next undelivered message are dropped (the reliable one will come). */
export const AHEAD_MAX = 512;
/** Above this much queued on the fast channel, no more copies: the link is congested, the reliable channel carries on. */
export const FAST_BUFFER_MAX = 64 * 1024;

/** Which of a connection's lanes a fast copy belongs to: 'c' control, 'i' input. */
export type LaneName = 'c' | 'i';

interface Channel {
  readonly readyState: RTCDataChannelState;
  readonly bufferedAmount: number;
  send(data: string): void;
}

/** One lane: a reliable channel and its fast copies, in order, each message once. */
export class SequencedLane {
  private sent = 0;
  private reliableSeen = 0;
  private next = 0;
  private readonly ahead = new Map<number, string>();
  private readonly repeats = new Set<ReturnType<typeof setTimeout>>();
  /** Messages first delivered from a fast copy (the reliable one was still on its way). */
  fastFirst = 0;

  constructor(
    private readonly name: LaneName,
    private readonly reliable: Channel,
    private readonly fast: Channel,
    private readonly deliver: (data: unknown) => void,
  ) {}

  /** Sends `data` on the reliable channel, and fast copies if small. False if the reliable channel is not open. */
  send(data: string): boolean {
    if (this.reliable.readyState !== 'open') return false;
    const seq = this.sent++;
    this.reliable.send(data);
    if (data.length > FAST_COPY_MAX) return true;
    const copy = `${this.name}${seq} ${data}`;
    if (!this.sendFast(copy)) return true;
    const timer = setTimeout(() => {
      this.repeats.delete(timer);
      this.sendFast(copy);
    }, REPEAT_MS);
    this.repeats.add(timer);
    return true;
  }

  /** A message from the reliable channel (counted whatever it holds: the sender counted it too). */
  onReliable(data: unknown): void {
    const seq = this.reliableSeen++;
    if (seq < this.next) return; // a fast copy brought it already
    this.next = seq + 1;
    this.deliver(data);
    this.flush();
  }

  /** A fast copy: message number `seq` of this lane. */
  onFast(seq: number, data: string): void {
    if (seq < this.next || seq - this.next >= AHEAD_MAX) return;
    if (seq > this.next) return void this.ahead.set(seq, data);
    this.next += 1;
    this.fastFirst += 1;
    this.deliver(data);
    this.flush();
  }

  /** Stops the pending repeats (the connection closed). */
  close(): void {
    for (const timer of this.repeats) clearTimeout(timer);
    this.repeats.clear();
    this.ahead.clear();
  }

  private flush(): void {
    for (const seq of this.ahead.keys()) if (seq < this.next) this.ahead.delete(seq);
    let data: string | undefined;
    while ((data = this.ahead.get(this.next)) !== undefined) {
      this.ahead.delete(this.next);
      this.next += 1;
      this.fastFirst += 1;
      this.deliver(data);
    }
  }

  private sendFast(copy: string): boolean {
    if (this.fast.readyState !== 'open' || this.fast.bufferedAmount > FAST_BUFFER_MAX) return false;
    this.fast.send(copy);
    return true;
  }
}

/** Splits a fast copy into its lane, number and message; null if it is not one. */
export function parseFastCopy(data: unknown): { lane: LaneName; seq: number; data: string } | null {
  if (typeof data !== 'string') return null;
  const match = /^([ci])(\d{1,15}) /.exec(data);
  if (!match) return null;
  return { lane: match[1] as LaneName, seq: Number(match[2]), data: data.slice(match[0].length) };
}
