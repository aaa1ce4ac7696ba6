import { createHmac, timingSafeEqual } from 'node:crypto';
import { createRequire } from 'node:module';
import { HELPER_PROOF_PATTERN, helperProofInput, sdpFingerprint } from '../protocol/index.js';
import { loadAddon } from './native.js';

// The helper's end of its WebRTC data channel with the customer's page (node-datachannel, the
// libdatachannel binding from the npm registry). Host candidates on loopback only: the page is on
// this same machine, and nothing of the helper is reachable from the network. Both ends prove the
// pairing secret over their DTLS keys (protocol/helper.ts): an offer without the page's proof is
// refused (it did not come from the customer's page), and the answer carries the helper's.

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
  /** An offer that could not prove the pairing secret: not the customer's page. */
  refused(): void;
}

const hmac = (secret: string, text: string) => createHmac('sha256', Buffer.from(secret, 'hex')).update(text).digest('hex');

export class PageLink {
  private peer: NdcPeer | null = null;
  private channel: NdcDataChannel | null = null;

  constructor(private readonly events: PageLinkEvents, private readonly pairing: { code: string; secret: string }) {}

  /** SDP or ICE from the page, relayed by the signaling server. */
  onSignal(data: Record<string, unknown>): void {
    if (data.type === 'offer' && typeof data.sdp === 'string') {
      const pageKey = sdpFingerprint(data.sdp);
      const expected = Buffer.from(hmac(this.pairing.secret, helperProofInput('page', this.pairing.code, pageKey)), 'hex');
      const proof = typeof data.proof === 'string' && HELPER_PROOF_PATTERN.test(data.proof) ? Buffer.from(data.proof, 'hex') : null;
      if (!proof || !timingSafeEqual(proof, expected)) return this.events.refused();
      this.close();
      // The binding itself (its PeerConnection is what node-datachannel's own wrapper exports).
      const ndc = loadAddon('datachannel', () => createRequire(import.meta.url)('node-datachannel') as { PeerConnection: new (name: string, config: object) => NdcPeer });
      const peer = new ndc.PeerConnection('relaydesk-helper', { iceServers: [], bindAddress: '127.0.0.1' });
      this.peer = peer;
      peer.onLocalDescription((sdp, type) =>
        this.events.signal({ type: type.toLowerCase(), sdp, proof: hmac(this.pairing.secret, helperProofInput('helper', this.pairing.code, pageKey, sdpFingerprint(sdp))) }));
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
