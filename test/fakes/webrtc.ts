
// Small fakes of the browser's WebRTC objects, for unit tests of the browser classes in Node. They
// model only what those classes use: channel state, messages, buffered amounts and their events.

export class FakeDataChannel extends EventTarget {
  readyState: RTCDataChannelState = 'connecting';
  bufferedAmount = 0;
  bufferedAmountLowThreshold = 0;
  binaryType: BinaryType = 'blob';
  onmessage: ((event: { data: unknown }) => void) | null = null;
  readonly sent: unknown[] = [];

  constructor(readonly label: string, readonly id: number) {
    super();
  }

  send(data: unknown): void {
    if (this.readyState !== 'open') throw new Error('InvalidStateError');
    this.sent.push(data);
  }

  open(): void {
    this.readyState = 'open';
    this.dispatchEvent(new Event('open'));
  }

  close(): void {
    if (this.readyState === 'closed') return;
    this.readyState = 'closed';
    this.dispatchEvent(new Event('close'));
  }

  /** A message from the other side. */
  receive(data: unknown): void {
    this.onmessage?.({ data });
  }

  /** The send queue drains to `amount`; crossing the threshold fires 'bufferedamountlow'. */
  drainTo(amount: number): void {
    const crossed = this.bufferedAmount > this.bufferedAmountLowThreshold && amount <= this.bufferedAmountLowThreshold;
    this.bufferedAmount = amount;
    if (crossed) this.dispatchEvent(new Event('bufferedamountlow'));
  }
}

export class FakePeerConnection extends EventTarget {
  iceConnectionState: RTCIceConnectionState = 'new';
  readonly channels = new Map<string, FakeDataChannel>();

  createDataChannel(label: string, init: { id?: number } = {}): FakeDataChannel {
    const channel = new FakeDataChannel(label, init.id ?? this.channels.size);
    this.channels.set(label, channel);
    return channel;
  }

  setIceState(state: RTCIceConnectionState): void {
    this.iceConnectionState = state;
    this.dispatchEvent(new Event('iceconnectionstatechange'));
  }

  channel(label: string): FakeDataChannel {
    const channel = this.channels.get(label);
    if (!channel) throw new Error(`no channel ${label}`);
    return channel;
  }
}
