import { HELPER_PROOF_PATTERN, helperProofInput, sdpFingerprint, type HelperState, type PageToHelper } from '../../protocol/index.js';
import { toHex } from '../hex.js';
import { selectedPair, type StatsReport } from '../session/connectivity.js';

/** How long a paired helper has to answer the page's offer with its proof. */
export const HELPER_ANSWER_TIMEOUT_MS = 15_000;

/** Why the page refused a helper. */
export type HelperRefusal = 'proof' | 'notLocal';

export type Hmac = (secret: string, text: string) => Promise<string>;

export const webHmac: Hmac = async (secret, text) => {
  const raw = new Uint8Array(secret.match(/../g)!.map((pair) => parseInt(pair, 16)));
  const key = await crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  return toHex(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(text)));
};

/** An address on this machine's loopback (the helper binds 127.0.0.1 only). */
export const isLoopbackAddress = (address: string): boolean => address === '127.0.0.1' || address === '::1' || /^127\.\d+\.\d+\.\d+$/.test(address);

/** A candidate on this machine's loopback. */
export function isLoopbackCandidate(candidate: string): boolean {
  return isLoopbackAddress(candidate.replace(/^a=/, '').split(/\s+/)[4] ?? '');
}

/** The description without its candidates off loopback (the helper gathers none; an attacker's would be). */
export function keepLoopbackCandidates(sdp: string): string {
  return sdp.split(/\r\n/).filter((line) => !line.startsWith('a=candidate:') || isLoopbackCandidate(line)).join('\r\n');
}

/**
 * The customer page's end of the data channel to the local helper. Its SDP/ICE travel through the
 * signaling server (`helper.signal`); the input events then go page → helper directly, on this
 * machine. No STUN/TURN: both ends are local. Each side proves the pairing secret over the DTLS
 * keys (protocol/helper.ts): the page's offer carries its proof, and an answer without the
 * helper's is refused, as is any address off loopback.
 */
export class HelperLink {
  private readonly pc = new RTCPeerConnection({ iceServers: [] });
  private readonly channel: RTCDataChannel;
  private closed = false;
  private answered = false;
  /** A helper that paired but never answers with its proof (an old pairing file, say) is refused too. */
  private readonly answerTimer: ReturnType<typeof setTimeout>;

  constructor(
    private readonly signal: (data: Record<string, unknown>) => void,
    private readonly events: { open(): void; state(state: HelperState['state']): void; close(): void; refused(reason: HelperRefusal): void },
    private readonly pairing: { code: string; secret: string },
    private readonly hmac: Hmac = webHmac,
  ) {
    this.channel = this.pc.createDataChannel('helper', { ordered: true });
    this.channel.onopen = () => void this.checkLocal();
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
    this.answerTimer = setTimeout(() => !this.answered && this.refuse('proof'), HELPER_ANSWER_TIMEOUT_MS);
    void this.start();
  }

  get isOpen(): boolean {
    return this.channel.readyState === 'open';
  }

  private async start(): Promise<void> {
    await this.pc.setLocalDescription(await this.pc.createOffer());
    const sdp = this.pc.localDescription!.sdp;
    const proof = await this.hmac(this.pairing.secret, helperProofInput('page', this.pairing.code, sdpFingerprint(sdp)));
    if (!this.closed) this.signal({ type: 'offer', sdp, proof });
  }

  async onSignal(data: Record<string, unknown>): Promise<void> {
    if (this.closed) return;
    if (data.type === 'answer' && typeof data.sdp === 'string') {
      if (this.answered) return;
      this.answered = true;
      clearTimeout(this.answerTimer);
      const pageKey = sdpFingerprint(this.pc.localDescription?.sdp ?? '');
      const expected = await this.hmac(this.pairing.secret, helperProofInput('helper', this.pairing.code, pageKey, sdpFingerprint(data.sdp)));
      if (typeof data.proof !== 'string' || !HELPER_PROOF_PATTERN.test(data.proof) || data.proof !== expected) return this.refuse('proof');
      await this.pc.setRemoteDescription({ type: 'answer', sdp: keepLoopbackCandidates(data.sdp) });
    } else if (typeof data.candidate === 'string' && isLoopbackCandidate(data.candidate)) {
      await this.pc.addIceCandidate({ candidate: data.candidate, sdpMid: typeof data.mid === 'string' ? data.mid : '0' }).catch(() => undefined);
    }
  }

  send(message: PageToHelper): void {
    if (this.channel.readyState === 'open') this.channel.send(JSON.stringify(message));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.answerTimer);
    this.channel.close();
    this.pc.close();
    this.events.close();
  }

  /** Open: but only on loopback (a candidate learned from the checks themselves could be anywhere). */
  private async checkLocal(): Promise<void> {
    const report = await this.pc.getStats().catch(() => null);
    const candidate = report ? selectedPair(report as unknown as StatsReport)?.remote : undefined;
    const remote = candidate?.address ?? candidate?.ip ?? '';
    if (remote && !isLoopbackAddress(remote)) return this.refuse('notLocal');
    if (!this.closed) this.events.open();
  }

  private refuse(reason: HelperRefusal): void {
    if (this.closed) return;
    this.events.refused(reason);
    this.close();
  }
}
