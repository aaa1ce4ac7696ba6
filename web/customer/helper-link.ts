import type { HelperState, PageToHelper } from '../../protocol/index.js';

/**
 * The customer page's end of the data channel to the local helper. Its SDP/ICE travel through the
 * signaling server (`helper.signal`); the input events then go page → helper directly, on this
 * machine. No STUN/TURN: both ends are local.
 */
export class HelperLink {
  private readonly pc = new RTCPeerConnection({ iceServers: [] });
  private readonly channel: RTCDataChannel;
  private closed = false;

  constructor(
    private readonly signal: (data: Record<string, unknown>) => void,
    private readonly events: { open(): void; state(state: HelperState['state']): void; close(): void },
  ) {
    this.channel = this.pc.createDataChannel('helper', { ordered: true });
    this.channel.onopen = () => events.open();
    this.channel.onclose = () => this.close();
    this.channel.onmessage = (event) => {
      try {
        const message = JSON.parse(String(event.data)) as HelperState;
        if (message?.k === 'state' && ['ready', 'suspended', 'resumed', 'stopped'].includes(message.state)) events.state(message.state);
      } catch {
        // ignore anything else
      }
    };
    this.pc.onicecandidate = (event) => {
      if (event.candidate) signal({ candidate: event.candidate.candidate, mid: event.candidate.sdpMid ?? '0' });
    };
    void this.start();
  }

  get isOpen(): boolean {
    return this.channel.readyState === 'open';
  }

  private async start(): Promise<void> {
    await this.pc.setLocalDescription(await this.pc.createOffer());
    this.signal({ type: 'offer', sdp: this.pc.localDescription!.sdp });
  }

  async onSignal(data: Record<string, unknown>): Promise<void> {
    if (this.closed) return;
    if (data.type === 'answer' && typeof data.sdp === 'string') await this.pc.setRemoteDescription({ type: 'answer', sdp: data.sdp });
    else if (typeof data.candidate === 'string') {
      await this.pc.addIceCandidate({ candidate: data.candidate, sdpMid: typeof data.mid === 'string' ? data.mid : '0' }).catch(() => undefined);
    }
  }

  send(message: PageToHelper): void {
    if (this.channel.readyState === 'open') this.channel.send(JSON.stringify(message));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.channel.close();
    this.pc.close();
    this.events.close();
  }
}
