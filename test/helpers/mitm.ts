import type { Page, WebSocketRoute } from 'playwright-core';

// A man in the middle for the end-to-end tests, made of real parts: a signaling shim between the
// customer's page and /ws (playwright's routeWebSocket: every frame passes through the test, which
// may forward, drop, rewrite or divert it), and an attacker page in a browser of its own with two
// real peer connections: one facing the customer (it poses as the analyst), one facing the analyst
// (it poses as the customer). It relays the data channels and the customer's screen between them.

type Json = Record<string, unknown>;
export type SignalFrame = { type: 'signal'; link?: number; data: Json };

/** What the shim does with a frame: let it through, hold it back, or pass another in its place. */
export type Verdict = 'pass' | 'drop' | { replace: Json };

export interface ShimPolicy {
  /** A frame the customer's page sends to the server. */
  fromCustomer?(frame: Json): Verdict;
  /** A frame the server sends to the customer's page. */
  fromServer?(frame: Json): Verdict;
}

/** The shim on the customer's page's signaling socket; `toCustomer`/`toServer` inject frames. */
export class SignalingShim {
  private route: WebSocketRoute | null = null;
  private server: WebSocketRoute | null = null;
  policy: ShimPolicy = {};
  /** Every frame seen, in order (for the test's asserts). */
  readonly seen: Array<{ direction: 'up' | 'down'; frame: Json }> = [];

  static async install(customer: Page): Promise<SignalingShim> {
    const shim = new SignalingShim();
    await customer.routeWebSocket(/\/ws(\?|$)/, (ws) => {
      const server = ws.connectToServer();
      shim.route = ws;
      shim.server = server;
      ws.onMessage((message) => shim.handle('up', String(message)));
      server.onMessage((message) => shim.handle('down', String(message)));
    });
    return shim;
  }

  toCustomer(frame: Json): void {
    this.route?.send(JSON.stringify(frame));
  }

  toServer(frame: Json): void {
    this.server?.send(JSON.stringify(frame));
  }

  private handle(direction: 'up' | 'down', raw: string): void {
    let frame: Json;
    try {
      frame = JSON.parse(raw) as Json;
    } catch {
      return void (direction === 'up' ? this.server?.send(raw) : this.route?.send(raw));
    }
    this.seen.push({ direction, frame });
    let verdict: Verdict;
    try {
      verdict = (direction === 'up' ? this.policy.fromCustomer?.(frame) : this.policy.fromServer?.(frame)) ?? 'pass';
    } catch (err) {
      // A policy that throws would take the whole test process down from playwright's event loop.
      console.error(`signaling shim: the policy failed on a ${direction} frame: ${String(err)}`);
      verdict = 'pass';
    }
    if (verdict === 'drop') return;
    const out = verdict === 'pass' ? raw : JSON.stringify(verdict.replace);
    if (direction === 'up') this.server?.send(out);
    else this.route?.send(out);
  }
}

export type AttackerMode = 'relay' | 'play';

/**
 * The attacker's page. `relay`: the data channels' messages pass unchanged between the two legs
 * (the verification exchange included). `play`: it runs the verification exchange itself on each
 * leg (as the analyst towards the customer, as the customer towards the analyst) and passes
 * everything else.
 */
export class Attacker {
  private constructor(readonly page: Page) {}
  /**
   * Signals each leg's connection sends: 'c' to the customer (as the analyst), 'a' to the analyst
   * (as the customer), 'v' from the lone video receiver (videoOffer()).
   */
  onSignal: (leg: 'c' | 'a' | 'v', data: Json) => void = () => undefined;

  static async open(page: Page, baseUrl: string, mode: AttackerMode): Promise<Attacker> {
    const attacker = new Attacker(page);
    await page.exposeFunction('__mitmOut', (leg: 'c' | 'a' | 'v', data: Json) => attacker.onSignal(leg, data));
    // Any page of the origin: a secure context for WebRTC and crypto.subtle.
    await page.goto(`${baseUrl}/healthz`);
    // tsx names functions with a helper the page does not have.
    await page.evaluate('globalThis.__name = (fn) => fn');
    await page.evaluate(ATTACKER_SCRIPT, mode);
    return attacker;
  }

  /** Hands a signal to one of the attacker's connections (one it cannot apply is dropped, as a real attacker would). */
  signal(leg: 'c' | 'a' | 'v', data: Json): Promise<void> {
    return this.page.evaluate(([leg, data]) => (window as unknown as { __mitm: { signal(leg: string, data: unknown): Promise<void> } }).__mitm.signal(leg, data), [leg, data] as const);
  }

  /** The first leg toward the analyst: the attacker offers (the analyst's page answers whoever offers first). */
  start(): Promise<void> {
    return this.page.evaluate(() => (window as unknown as { __mitm: { start(): Promise<void> } }).__mitm.start());
  }

  /**
   * A connection of the attacker's with only a video receiver, outside any bundle: the offer of
   * its one m-section (to splice into an offer posing as the analyst's).
   */
  videoOffer(): Promise<string> {
    return this.page.evaluate(() => (window as unknown as { __mitm: { videoOffer(): Promise<string> } }).__mitm.videoOffer());
  }

  /** What the attacker saw pass: screen frames it received from the customer (on either of its connections), messages it relayed. */
  report(): Promise<{ framesFromCustomer: number; framesOnVideoLeg: number; relayed: Record<string, number> }> {
    return this.page.evaluate(() => (window as unknown as { __mitm: { report(): Promise<{ framesFromCustomer: number; framesOnVideoLeg: number; relayed: Record<string, number> }> } }).__mitm.report());
  }
}

/** Runs in the attacker's page. Self-contained: it is serialised by page.evaluate. */
const ATTACKER_SCRIPT = (mode: AttackerMode) => {
  type Leg = 'c' | 'a' | 'v';
  const out = (window as unknown as { __mitmOut(leg: Leg, data: unknown): void }).__mitmOut;
  const IDS = { control: 100, file: 101, input: 102 } as const;
  const relayed: Record<string, number> = {};
  const make = (leg: Leg) => {
    const pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require' });
    const channels = Object.fromEntries(
      (Object.keys(IDS) as Array<keyof typeof IDS>).map((label) => [label, pc.createDataChannel(label, { negotiated: true, id: IDS[label], ordered: true })]),
    ) as Record<keyof typeof IDS, RTCDataChannel>;
    for (const channel of Object.values(channels)) channel.binaryType = 'arraybuffer';
    pc.onicecandidate = ({ candidate }) => candidate && out(leg, { type: 'candidate', candidate: { candidate: candidate.candidate, sdpMLineIndex: candidate.sdpMLineIndex, sdpMid: candidate.sdpMid } });
    return { pc, channels };
  };
  const c = make('c');
  const a = make('a');
  // simple-peer's own channel: the page that offers creates it; the analyst's page waits for it.
  a.pc.createDataChannel(`x${Math.random().toString(16).slice(2)}`);
  c.pc.ondatachannel = () => undefined;

  const fingerprintOf = (pc: RTCPeerConnection) => {
    const match = /a=fingerprint:(\S+) (\S+)/.exec(pc.localDescription?.sdp ?? '');
    return match ? `${match[1].toLowerCase()} ${match[2].toUpperCase()}` : '';
  };
  const hex = (bytes: Uint8Array) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  const nonce = () => hex(crypto.getRandomValues(new Uint8Array(32)));
  const sha = async (text: string) => hex(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text))));
  let myNonceTowardAnalyst = '';

  // A competent attacker holds what arrives before the other leg is open, then passes it on.
  const held = new Map<RTCDataChannel, string[]>();
  const relay = (to: RTCDataChannel, data: string) => {
    if (to.readyState === 'open') return to.send(data);
    if (!held.has(to)) {
      held.set(to, []);
      to.addEventListener('open', () => held.get(to)!.splice(0).forEach((queued) => to.send(queued)));
    }
    held.get(to)!.push(data);
  };

  // What the attacker does with a control message from one leg before the other leg sees it.
  const onControl = async (from: Leg, raw: string) => {
    const message = JSON.parse(raw) as { type: string; round?: number };
    relayed[message.type] = (relayed[message.type] ?? 0) + 1;
    if (mode === 'play' && message.type.startsWith('verify.')) {
      if (from === 'c' && message.type === 'verify.commit' && c.channels.control.readyState === 'open') c.channels.control.send(JSON.stringify({ type: 'verify.nonce', round: message.round, nonce: nonce() }));
      if (from === 'a' && message.type === 'verify.nonce') a.channels.control.send(JSON.stringify({ type: 'verify.reveal', round: message.round, nonce: myNonceTowardAnalyst }));
      return; // the pages' own exchange never crosses
    }
    relay((from === 'c' ? a : c).channels.control, raw);
  };
  for (const [from, leg, other] of [['c', c, a], ['a', a, c]] as const) {
    leg.channels.control.onmessage = (event) => void onControl(from, String(event.data));
    for (const label of ['file', 'input'] as const) leg.channels[label].onmessage = (event) => other.channels[label].readyState === 'open' && other.channels[label].send(event.data);
  }
  // In 'play', the attacker opens its own exchange with the analyst once that leg's control opens.
  a.channels.control.addEventListener('open', async () => {
    if (mode !== 'play') return;
    myNonceTowardAnalyst = nonce();
    const hash = await sha(`relaydesk-sas-v2|commit|1|${fingerprintOf(a.pc)}|${myNonceTowardAnalyst}`);
    a.channels.control.send(JSON.stringify({ type: 'verify.commit', round: 1, hash }));
  });

  // The customer's screen, as the attacker receives it, goes on to the analyst.
  let framesFromCustomer = 0;
  c.pc.addEventListener('track', (event) => {
    // A sink, so Chromium decodes (and counts) the frames.
    const video = document.createElement('video');
    video.muted = true;
    video.srcObject = new MediaStream([event.track]);
    void video.play().catch(() => undefined);
    document.body.append(video);
  });
  // Its offers toward the analyst, one at a time: each waits for the answer to the one before
  // (the customer's first offer brings the screen's section, so the track comes while the first
  // offer toward the analyst is being made).
  let offering: Promise<void> = Promise.resolve();
  const offerToAnalyst = () => {
    offering = offering.then(async () => {
      await a.pc.setLocalDescription(await a.pc.createOffer());
      out('a', { type: 'offer', sdp: a.pc.localDescription!.sdp });
      await new Promise<void>((settled) => {
        const check = () => a.pc.signalingState !== 'have-local-offer' && (a.pc.removeEventListener('signalingstatechange', check), settled());
        a.pc.addEventListener('signalingstatechange', check);
        check();
      });
    }).catch((err) => console.warn(`attacker: offer: ${String(err)}`));
    return offering;
  };
  c.pc.ontrack = (event) => {
    a.pc.addTrack(event.track, event.streams[0] ?? new MediaStream([event.track]));
    void offerToAnalyst();
  };

  // The lone video receiver (no bundle: its own transport and its own certificate).
  const v = { pc: new RTCPeerConnection({ bundlePolicy: 'balanced' }) };
  v.pc.onicecandidate = ({ candidate }) => candidate && out('v', { type: 'candidate', candidate: { candidate: candidate.candidate, sdpMLineIndex: candidate.sdpMLineIndex, sdpMid: candidate.sdpMid } });
  const videoOffer = async () => {
    v.pc.addTransceiver('video', { direction: 'recvonly' });
    await v.pc.setLocalDescription(await v.pc.createOffer());
    return v.pc.localDescription!.sdp;
  };
  const frames = async (pc: RTCPeerConnection) => {
    let count = 0;
    (await pc.getStats()).forEach((entry) => {
      if (entry.type === 'inbound-rtp' && entry.kind === 'video') count = Math.max(count, entry.framesReceived ?? 0, entry.framesDecoded ?? 0);
    });
    return count;
  };

  const signal = async (leg: Leg, data: { type?: string; sdp?: string; candidate?: RTCIceCandidateInit; renegotiate?: boolean }) => {
    const side = leg === 'c' ? c : leg === 'a' ? a : v;
    if (data.candidate) return void (await side.pc.addIceCandidate(data.candidate).catch(() => undefined));
    if (data.renegotiate && leg === 'a') return offerToAnalyst();
    if (!data.sdp || !data.type) return;
    await side.pc.setRemoteDescription({ type: data.type as RTCSdpType, sdp: data.sdp });
    if (data.type === 'offer') {
      await side.pc.setLocalDescription(await side.pc.createAnswer());
      out(leg, { type: 'answer', sdp: side.pc.localDescription!.sdp });
    }
  };
  const start = () => offerToAnalyst();
  const report = async () => {
    framesFromCustomer = Math.max(framesFromCustomer, await frames(c.pc));
    return { framesFromCustomer, framesOnVideoLeg: await frames(v.pc), relayed };
  };
  const tolerant = async (leg: Leg, data: Parameters<typeof signal>[1]) => {
    try {
      await signal(leg, data);
    } catch (err) {
      console.warn(`attacker: ${leg}: ${String(err)}`);
    }
  };
  (window as unknown as { __mitm: unknown }).__mitm = { signal: tolerant, start, report, videoOffer };
};
