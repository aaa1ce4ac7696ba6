// Benchmark harness loaded into real Chromium pages by bench/run.ts. It wires the product's own
// data-channel modules (PeerChannels, FileTransfers, FileConnection) on a bare RTCPeerConnection, next to
// a raw RTCDataChannel baseline on that connection. As in the product, our files travel on the
// file connection, a second connection; the raw channel has the session connection to itself while it runs.
import { FILE_HIGH_WATER, FILE_LOW_WATER, PeerChannels } from '../../web/session/peer-channels.js';
import type { IceConfig } from '../../protocol/index.js';
import { FileConnection } from '../../web/files/file-connection.js';
import { FileTransfers } from '../../web/files/file-transfers.js';
import { removeOrphanedFiles, SessionFiles } from '../../web/files/session-files.js';

const RAW_CHANNEL_ID = 200;
let pc: RTCPeerConnection;
let channels: PeerChannels;
let transfers: FileTransfers;
let files: SessionFiles;
let raw: RTCDataChannel;
let rawReceived = 0;
let rawTarget = 0;
let rawDone: (() => void) | null = null;
let rawArrived: Promise<number> | null = null;
let rawSending = false;
let prepared: File | null = null;
let link: FileConnection;
let expected: Promise<{ state: string; at: number }> | null = null;

async function gathered(): Promise<string> {
  if (pc.iceGatheringState !== 'complete') {
    await new Promise<void>((resolve) => pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && resolve()));
  }
  return JSON.stringify(pc.localDescription);
}

/** `ice`: the ICE servers and policy of both connections (the wan benchmark's relay); none by default. */
function setup(role: 'customer' | 'analyst', ice: IceConfig = { iceServers: [], iceTransportPolicy: 'all' }): void {
  pc = new RTCPeerConnection(ice);
  channels = new PeerChannels(pc, role === 'customer' ? 'analyst' : 'customer');
  files = new SessionFiles();
  transfers = new FileTransfers(channels, files);
  // The file connection, as in the product (session-connection.ts): files on a connection of their own.
  link = new FileConnection(channels, role, ice);
  raw = pc.createDataChannel('raw', { negotiated: true, id: RAW_CHANNEL_ID, ordered: true });
  raw.binaryType = 'arraybuffer';
  raw.bufferedAmountLowThreshold = FILE_LOW_WATER;
  raw.onmessage = (event) => {
    rawReceived += (event.data as ArrayBuffer).byteLength;
    if (rawDone && rawReceived >= rawTarget) rawDone();
  };
  // Answer pings at once, like SessionTools does.
  channels.onControl((message) => {
    if (message.type === 'ping') channels.sendControl({ type: 'pong', id: message.id });
  });
}

const api = {
  /** Where both kinds of transfer stand: printed if a run stalls. */
  state() {
    return {
      transfers: transfers.list().map((t) => `${t.direction} ${t.state} ${t.bytes}/${t.size}`),
      fileRoute: channels.fileRoute, fileConnection: link.state, connection: pc.connectionState,
      raw: { received: rawReceived, target: rawTarget, sending: rawSending, buffered: raw.bufferedAmount },
    };
  },

  async offer(ice?: IceConfig): Promise<string> {
    setup('customer', ice);
    await pc.setLocalDescription(await pc.createOffer());
    return gathered();
  },
  async answer(offer: string, ice?: IceConfig): Promise<string> {
    setup('analyst', ice);
    await pc.setRemoteDescription(JSON.parse(offer));
    await pc.setLocalDescription(await pc.createAnswer());
    return gathered();
  },
  async complete(answer: string): Promise<void> {
    await pc.setRemoteDescription(JSON.parse(answer));
  },
  async ready(): Promise<void> {
    await channels.whenOpen();
    while (channels.fileRoute !== 'file') await new Promise((r) => setTimeout(r, 20));
    if (raw.readyState !== 'open') await new Promise((r) => raw.addEventListener('open', r, { once: true }));
    await removeOrphanedFiles();
  },

  /**
   * Raw baseline, receiving side: counts from zero from now on; rawResult() then resolves with the
   * time when `bytes` have arrived. Armed before the sender starts (see ourExpect()): armed late, it
   * zeroed the count after the first messages had arrived and waited forever for them.
   */
  rawExpect(bytes: number): void {
    rawReceived = 0;
    rawTarget = bytes;
    rawArrived = new Promise((resolve) => (rawDone = () => resolve(performance.now())));
  },
  rawResult(): Promise<number> {
    if (!rawArrived) throw new Error('call rawExpect() first');
    return rawArrived;
  },
  /** Raw baseline, sending side: the same chunk size and watermarks as the product, nothing else. */
  async rawSend(bytes: number, chunkBytes: number): Promise<void> {
    rawSending = true;
    const chunk = new Uint8Array(chunkBytes);
    crypto.getRandomValues(chunk.subarray(0, Math.min(chunkBytes, 65_536)));
    for (let sent = 0; sent < bytes; sent += chunkBytes) {
      if (raw.bufferedAmount > FILE_HIGH_WATER) await new Promise((r) => raw.addEventListener('bufferedamountlow', r, { once: true }));
      raw.send(chunk.subarray(0, Math.min(chunkBytes, bytes - sent)));
    }
    // Sent means queued: wait until the queue has drained before calling the run over.
    while (raw.bufferedAmount > 0) await new Promise((r) => setTimeout(r, 5));
    rawSending = false;
  },

  /**
   * Our transfer, receiving side: from now on, accepts the next offer; ourResult() then resolves
   * with its final state and the time (this page's clock) when the file was verified and stored.
   * Armed before the sender offers: evaluations in two pages run in no set order, so an offer
   * could otherwise arrive before anyone listens for it (a run then waited forever on "offered").
   */
  ourExpect(): void {
    expected = new Promise((resolve) => {
      const off = transfers.onEvent((event) => {
        if (event.kind === 'offered' && event.transfer.direction === 'in') void transfers.accept(event.transfer.id);
        if (['done', 'mismatch', 'failed', 'cancelled'].includes(event.kind) && event.transfer.direction === 'in') {
          off();
          resolve({ state: event.transfer.state, at: performance.now() });
        }
      });
    });
  },
  ourResult(): Promise<{ state: string; at: number }> {
    if (!expected) throw new Error('call ourExpect() first');
    return expected;
  },
  /**
   * Takes the file to send: the one picked in the page's file input (the benchmark picks a file of
   * `bytes` it wrote to disk beforehand), as a customer picks a file at rest on their disk.
   * Reading it is part of the measured transfer.
   */
  async ourPrepare(bytes: number): Promise<void> {
    const picked = (document.getElementById('pick') as HTMLInputElement | null)?.files?.[0];
    if (!picked || picked.size !== bytes) throw new Error(`pick a file of ${bytes} bytes first (picked: ${picked?.size ?? 'none'})`);
    prepared = picked;
  },
  /** Our transfer, sending side: offers the prepared file; returns the start time (this page's clock). */
  ourSend(): number {
    if (!prepared) throw new Error('call ourPrepare() first');
    const start = performance.now();
    transfers.offer([prepared]);
    return start;
  },
  async cleanup(): Promise<void> {
    await files.removeAll();
  },

  /**
   * Sequential round trips of small control messages. With `whileBusy`, only samples taken while
   * an outgoing file transfer is still running are kept (it stops when the transfer ends).
   */
  async pings(count: number, whileBusy: boolean): Promise<number[]> {
    const busy = () => rawSending || transfers.list().some((t) => t.direction === 'out' && ['offered', 'accepted', 'transferring'].includes(t.state));
    const samples: number[] = [];
    const pending = new Map<number, (at: number) => void>();
    const off = channels.onControl((message) => {
      if (message.type === 'pong') pending.get(message.id)?.(performance.now());
    });
    for (let id = 0; id < count; id++) {
      if (whileBusy && !busy()) break;
      const sentAt = performance.now();
      const pongAt = await new Promise<number>((resolve) => {
        pending.set(id, resolve);
        channels.sendControl({ type: 'ping', id });
      });
      pending.delete(id);
      if (!whileBusy || busy()) samples.push(pongAt - sentAt);
    }
    off();
    return samples;
  },
};

(window as unknown as { bench: typeof api }).bench = api;
