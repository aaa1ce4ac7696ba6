import { createRequire } from 'node:module';

// The helper's end of its WebRTC data channel with the customer's page (node-datachannel, the
// libdatachannel binding from the npm registry). Host candidates on loopback only: the page is on
// this same machine, and nothing of the helper is reachable from the network.

type NdcDataChannel = {
  onMessage(cb: (msg: string | Buffer) => void): void;
  onOpen(cb: () => void): void;
  onClosed(cb: () => void): void;
  sendMessage(msg: string): boolean;
  isOpen(): boolean;
};
type NdcPeer = {
  onLocalDescription(cb: (sdp: string, type: string) => void): void;
  onLocalCandidate(cb: (candidate: string, mid: string) => void): void;
  onDataChannel(cb: (dc: NdcDataChannel) => void): void;
  setRemoteDescription(sdp: string, type: string): void;
  addRemoteCandidate(candidate: string, mid: string): void;
  close(): void;
};

export interface PageLinkEvents {
  signal(data: Record<string, unknown>): void;
  open(): void;
  message(text: string): void;
  close(): void;
}

export class PageLink {
  private peer: NdcPeer | null = null;
  private channel: NdcDataChannel | null = null;

  constructor(private readonly events: PageLinkEvents) {}

  /** SDP or ICE from the page, relayed by the signaling server. */
  onSignal(data: Record<string, unknown>): void {
    if (data.type === 'offer' && typeof data.sdp === 'string') {
      this.close();
      const require = createRequire(import.meta.url);
      const ndc = require('node-datachannel') as { PeerConnection: new (name: string, config: object) => NdcPeer };
      const peer = new ndc.PeerConnection('relaydesk-helper', { iceServers: [], bindAddress: '127.0.0.1' });
      this.peer = peer;
      peer.onLocalDescription((sdp, type) => this.events.signal({ type: type.toLowerCase(), sdp }));
      peer.onLocalCandidate((candidate, mid) => this.events.signal({ candidate, mid }));
      peer.onDataChannel((channel) => {
        this.channel = channel;
        channel.onMessage((msg) => this.events.message(typeof msg === 'string' ? msg : msg.toString('utf8')));
        channel.onClosed(() => this.events.close());
        if (channel.isOpen()) this.events.open();
        else channel.onOpen(() => this.events.open());
      });
      peer.setRemoteDescription(data.sdp, 'offer');
    } else if (typeof data.candidate === 'string' && this.peer) {
      try {
        this.peer.addRemoteCandidate(data.candidate, typeof data.mid === 'string' ? data.mid : '0');
      } catch {
        // An mDNS (.local) candidate we cannot resolve: the page's checks reach us anyway.
      }
    }
  }

  send(message: object): void {
    if (this.channel?.isOpen()) this.channel.sendMessage(JSON.stringify(message));
  }

  close(): void {
    this.peer?.close();
    this.peer = null;
    this.channel = null;
  }
}
