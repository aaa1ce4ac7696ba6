import { createRequire } from 'node:module';
import WebSocket from 'ws';

type NdcPeer = {
  onLocalDescription(cb: (sdp: string, type: string) => void): void;
  onLocalCandidate(cb: (candidate: string, mid: string) => void): void;
  onDataChannel(cb: (dc: { onMessage(cb: (msg: string | Buffer) => void): void }) => void): void;
  setRemoteDescription(sdp: string, type: string): void;
  addRemoteCandidate(candidate: string, mid: string): void;
  close(): void;
};

/**
 * An attacker's helper: it knows the pairing code (it is on the customer's screen, which the
 * analyst and anyone in the video path see) but not the secret. It pairs with the code, answers
 * the page's offer with a proof it made up, and records any input event that reaches it.
 */
export async function rogueHelper(wsUrl: string, code: string, options: { answer?: boolean } = {}) {
  const received: string[] = [];
  let peer: NdcPeer | null = null;
  const socket = new WebSocket(`${wsUrl}/helper?code=${code}`);
  const closed = new Promise<number>((resolve) => socket.once('close', (closeCode) => resolve(closeCode)));
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('unexpected-response', (_req, res) => reject(new Error(`rogue helper refused: ${res.statusCode}`)));
    socket.once('error', reject);
  });
  socket.send(JSON.stringify({ type: 'helper.hello', platform: 'linux-x11', screen: { width: 1280, height: 800 } }));
  socket.on('message', (raw) => {
    const frame = JSON.parse(String(raw)) as { type: string; data?: Record<string, unknown> };
    if (frame.type !== 'helper.signal' || !frame.data) return;
    if (frame.data.type === 'offer' && options.answer !== false) {
      const require = createRequire(import.meta.url);
      const ndc = require('node-datachannel') as { PeerConnection: new (name: string, config: object) => NdcPeer };
      peer = new ndc.PeerConnection('rogue', { iceServers: [], bindAddress: '127.0.0.1' });
      peer.onLocalDescription((sdp, type) => socket.send(JSON.stringify({ type: 'helper.signal', data: { type: type.toLowerCase(), sdp, proof: 'f'.repeat(64) } })));
      peer.onLocalCandidate((candidate, mid) => socket.send(JSON.stringify({ type: 'helper.signal', data: { candidate, mid } })));
      peer.onDataChannel((channel) => channel.onMessage((message) => received.push(String(message))));
      peer.setRemoteDescription(String(frame.data.sdp), 'offer');
    } else if (typeof frame.data.candidate === 'string' && peer) {
      try {
        peer.addRemoteCandidate(frame.data.candidate, String(frame.data.mid ?? '0'));
      } catch {
        // mDNS
      }
    }
  });
  return {
    received,
    closed,
    close: () => {
      peer?.close();
      socket.close();
    },
  };
}
