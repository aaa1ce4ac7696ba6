import { createHash, createHmac, randomBytes } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { issueTurnCredentials } from '../signaling/turn-credentials.js';
import { startCoturn } from '../test/helpers/coturn.js';
import { fmt, type Row } from './stats.js';

// coturn as shipped (turn/turnserver.conf.template, rendered by turn/render-config.sh; only the
// loopback-peer lines the tests need added, and a relay port range below the load's own ephemeral
// ports), loaded by a TURN client of the benchmark's own over UDP: `sessions` relayed sessions,
// each as the product makes them (both members allocate for the session connection and for the
// file connection, 4 allocations, each member with its own credential), then the two members of
// every session exchange packets through coturn at a screen-like rate. Next to the same packets
// sent directly between the client sockets (what the host's loopback carries without a relay).

const MAGIC = 0x2112a442;
const ATTR = { username: 0x0006, integrity: 0x0008, error: 0x0009, lifetime: 0x000d, peer: 0x0012, data: 0x0013, relayed: 0x0016, realm: 0x0014, nonce: 0x0015, transport: 0x0019 } as const;
const TYPE = { allocate: 0x0003, allocateOk: 0x0103, allocateError: 0x0113, permission: 0x0008, permissionOk: 0x0108, send: 0x0016, data: 0x0017 } as const;

function attribute(type: number, value: Buffer): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt16BE(type, 0);
  head.writeUInt16BE(value.length, 2);
  return Buffer.concat([head, value, Buffer.alloc((4 - (value.length % 4)) % 4)]);
}

function xorAddress(port: number, ip: string): Buffer {
  const value = Buffer.alloc(8);
  value.writeUInt8(1, 1);
  value.writeUInt16BE(port ^ (MAGIC >>> 16), 2);
  const parts = ip.split('.').map(Number);
  value.writeUInt32BE((((parts[0] << 24) | (parts[1] << 16) | (parts[2] << 8) | parts[3]) ^ MAGIC) >>> 0, 4);
  return value;
}

function readXorAddress(value: Buffer): { ip: string; port: number } {
  const port = value.readUInt16BE(2) ^ (MAGIC >>> 16);
  const ip = (value.readUInt32BE(4) ^ MAGIC) >>> 0;
  return { ip: [ip >>> 24, (ip >>> 16) & 255, (ip >>> 8) & 255, ip & 255].join('.'), port };
}

/** A STUN message; with `key`, MESSAGE-INTEGRITY over it (RFC 5389 §15.4). */
function message(type: number, attributes: Buffer[], key?: Buffer): Buffer {
  const body = Buffer.concat(attributes);
  const head = Buffer.alloc(20);
  head.writeUInt16BE(type, 0);
  head.writeUInt32BE(MAGIC, 4);
  randomBytes(12).copy(head, 8);
  if (!key) {
    head.writeUInt16BE(body.length, 2);
    return Buffer.concat([head, body]);
  }
  head.writeUInt16BE(body.length + 24, 2);
  const mac = createHmac('sha1', key).update(Buffer.concat([head, body])).digest();
  return Buffer.concat([head, body, attribute(ATTR.integrity, mac)]);
}

function attributesOf(packet: Buffer): Map<number, Buffer> {
  const out = new Map<number, Buffer>();
  for (let at = 20; at + 4 <= packet.length;) {
    const type = packet.readUInt16BE(at);
    const length = packet.readUInt16BE(at + 2);
    out.set(type, packet.subarray(at + 4, at + 4 + length));
    at += 4 + length + ((4 - (length % 4)) % 4);
  }
  return out;
}

/** One client allocation: a UDP socket of its own, authenticated with a member's REST credential. */
class Allocation {
  readonly socket: Socket = createSocket('udp4');
  relayed = { ip: '', port: 0 };
  received = 0;
  private key = Buffer.alloc(0);
  private auth: Buffer[] = [];
  private waiter: ((packet: Buffer) => void) | null = null;

  constructor(private readonly turnPort: number, private readonly username: string, private readonly password: string) {
    this.socket.on('message', (packet) => {
      const type = packet.readUInt16BE(0);
      // A Data indication, or a packet sent directly (the baseline's payload starts with 0xff: never STUN).
      if (type === TYPE.data || (packet[0] & 0xc0) !== 0) return void (this.received += 1);
      this.waiter?.(packet);
    });
  }

  private request(packet: Buffer, timeoutMs = 5000): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('TURN request timed out')), timeoutMs);
      this.waiter = (reply) => {
        clearTimeout(timer);
        this.waiter = null;
        resolve(reply);
      };
      this.socket.send(packet, this.turnPort, '127.0.0.1');
    });
  }

  /** Allocate (the 401 challenge, then with the realm's key). */
  async allocate(): Promise<void> {
    const transport = attribute(ATTR.transport, Buffer.from([17, 0, 0, 0]));
    const challenge = attributesOf(await this.request(message(TYPE.allocate, [transport])));
    const realm = challenge.get(ATTR.realm);
    const nonce = challenge.get(ATTR.nonce);
    if (!realm || !nonce) throw new Error('no realm or nonce in the challenge');
    this.key = createHash('md5').update(`${this.username}:${realm.toString()}:${this.password}`).digest();
    this.auth = [attribute(ATTR.username, Buffer.from(this.username)), attribute(ATTR.realm, realm), attribute(ATTR.nonce, nonce)];
    const reply = await this.request(message(TYPE.allocate, [transport, ...this.auth], this.key));
    if (reply.readUInt16BE(0) !== TYPE.allocateOk) {
      const error = attributesOf(reply).get(ATTR.error);
      throw new Error(`allocation refused: ${error ? `${error[2] * 100 + error[3]} ${error.subarray(4).toString()}` : 'no reason'}`);
    }
    this.relayed = readXorAddress(attributesOf(reply).get(ATTR.relayed)!);
  }

  async permit(peer: { ip: string; port: number }): Promise<void> {
    const reply = await this.request(message(TYPE.permission, [attribute(ATTR.peer, xorAddress(peer.port, peer.ip)), ...this.auth], this.key));
    if (reply.readUInt16BE(0) !== TYPE.permissionOk) throw new Error('permission refused');
  }

  /** A Send indication to `peer` through the relay. */
  sendTo(peer: { ip: string; port: number }, payload: Buffer): void {
    this.socket.send(message(TYPE.send, [attribute(ATTR.peer, xorAddress(peer.port, peer.ip)), attribute(ATTR.data, payload)]), this.turnPort, '127.0.0.1');
  }

  close(): void {
    this.socket.close();
  }
}

/** CPU seconds a process used so far (utime + stime from /proc). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

async function inBatches<T>(count: number, batch: number, make: (i: number) => Promise<T>): Promise<PromiseSettledResult<T>[]> {
  const out: PromiseSettledResult<T>[] = [];
  for (let i = 0; i < count; i += batch) out.push(...(await Promise.allSettled(Array.from({ length: Math.min(batch, count - i) }, (_, j) => make(i + j)))));
  return out;
}

export async function turnBench(opts: { sessions: number; packetsPerSecond: number; packetBytes: number; seconds: number }): Promise<{ rows: Row[]; notes: string[] }> {
  const coturn = await startCoturn(undefined, ['min-port=20000', 'max-port=36000']);
  const expires = Math.floor(Date.now() / 1000) + 3600;
  const all: Allocation[] = [];
  try {
    const pid = coturn.pid;
    // 1. Allocations: 4 per session, each member with its own credential.
    const started = performance.now();
    const sessions = await inBatches(opts.sessions, 50, async (i) => {
      const member = (who: string) => issueTurnCredentials(coturn.secret, `${who}-${i}`, expires);
      const [customer, analyst] = [member('customer'), member('analyst')];
      const allocations = [customer, customer, analyst, analyst].map((c) => new Allocation(coturn.port, c.username, c.credential));
      all.push(...allocations);
      await Promise.all(allocations.map((a) => a.allocate()));
      const [a, , b] = allocations;
      await Promise.all([a.permit(b.relayed), b.permit(a.relayed)]);
      return { a, b };
    });
    const allocateSeconds = (performance.now() - started) / 1000;
    const up = sessions.filter((s): s is PromiseFulfilledResult<{ a: Allocation; b: Allocation }> => s.status === 'fulfilled').map((s) => s.value);
    const refusals = sessions.filter((s): s is PromiseRejectedResult => s.status === 'rejected').map((s) => String(s.reason?.message ?? s.reason));

    // 2. Traffic: both members of every session send `packetsPerSecond` packets each way.
    const payload = randomBytes(opts.packetBytes);
    payload[0] = 0xff;
    const traffic = async (send: (s: { a: Allocation; b: Allocation }) => void, received: () => number) => {
      const before = received();
      const cpuBefore = cpuSeconds(pid);
      const tickMs = 20;
      const perTick = (opts.packetsPerSecond * tickMs) / 1000;
      let sent = 0;
      let carry = 0;
      const end = performance.now() + opts.seconds * 1000;
      while (performance.now() < end) {
        carry += perTick;
        for (; carry >= 1; carry -= 1) for (const session of up) { send(session); sent += 2; }
        await new Promise((r) => setTimeout(r, tickMs));
      }
      await new Promise((r) => setTimeout(r, 500));
      return { sent, delivered: received() - before, coturnCpu: (cpuSeconds(pid) - cpuBefore) / opts.seconds };
    };
    const received = () => all.reduce((n, a) => n + a.received, 0);
    const relayed = await traffic(({ a, b }) => { a.sendTo(b.relayed, payload); b.sendTo(a.relayed, payload); }, received);
    // The baseline: the same packets straight between the two members' sockets, no relay.
    const ports = new Map<Allocation, number>(up.flatMap(({ a, b }) => [[a, a.socket.address().port], [b, b.socket.address().port]] as [Allocation, number][]));
    const direct = await traffic(({ a, b }) => { a.socket.send(payload, ports.get(b)!, '127.0.0.1'); b.socket.send(payload, ports.get(a)!, '127.0.0.1'); }, received);

    const mbit = (packets: number) => (packets * (opts.packetBytes + 36) * 8) / opts.seconds / 1e6;
    const perSessionKbit = (opts.packetsPerSecond * opts.packetBytes * 8) / 1000;
    const delivered = relayed.delivered / Math.max(1, relayed.sent);
    const rows: Row[] = [
      { benchmark: `relayed sessions set up (4 allocations and 2 permissions each; ${opts.sessions} asked)`, value: String(up.length), baseline: '—', ratio: '—', target: '≥ 1,000', pass: up.length >= 1000 },
      { benchmark: 'allocations per second (50 sessions at a time)', value: fmt((up.length * 4) / allocateSeconds, 0), baseline: '—', ratio: '—', target: '—' },
      { benchmark: `relayed packets delivered, both ways, ${perSessionKbit} kbit/s each way per session for ${opts.seconds} s`, value: `${fmt(delivered * 100, 2)} %`, baseline: `${fmt((direct.delivered / Math.max(1, direct.sent)) * 100, 2)} % (direct, no relay)`, ratio: fmt(delivered / Math.max(1e-9, direct.delivered / Math.max(1, direct.sent)), 3), target: '≥ 99 %', pass: delivered >= 0.99 },
      { benchmark: 'relay throughput, Mbit/s (all sessions, delivered)', value: fmt(mbit(relayed.delivered), 0), baseline: `${fmt(mbit(direct.delivered), 0)} (direct)`, ratio: fmt(relayed.delivered / Math.max(1, direct.delivered), 2), target: '—' },
      { benchmark: 'coturn CPU while relaying, cores', value: fmt(relayed.coturnCpu, 2), baseline: '—', ratio: '—', target: '—' },
    ];
    const reasons = [...new Set(refusals)].slice(0, 3);
    return {
      rows,
      notes: [
        `${up.length} sessions of ${opts.sessions} set up in ${fmt(allocateSeconds, 1)} s${refusals.length ? `; ${refusals.length} refused: ${reasons.join('; ')}` : ''}. Traffic: ${opts.packetBytes}-byte packets, ${opts.packetsPerSecond} a second each way per session, sent by this process from one socket per allocation (Send indications in, Data indications out).`,
        `Per session that is ${perSessionKbit} kbit/s each way, a low-motion screen; ${fmt(mbit(relayed.sent), 0)} Mbit/s offered in all.`,
        'Reading the figures: how many support sessions one TURN host holds when every one is relayed (a customer behind a strict firewall). The shipped quotas allow 12,000 allocations (total-quota) and 3 MB/s per allocation (max-bps); the load generator runs on the same 2 cores as coturn, so the throughput row is this machine\'s, not coturn\'s limit: on a real host the clients are elsewhere and the limit is its uplink.',
      ],
    };
  } finally {
    for (const allocation of all) allocation.close();
    await coturn.stop();
  }
}

