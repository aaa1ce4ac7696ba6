import t from 'tap';
import { createHash, randomBytes } from 'node:crypto';
import type { PeerMessage } from '../../../../protocol/index.js';
import { Emitter } from '../../../../web/emitter.js';
import type { KeysCheck } from '../../../../web/session/negotiated-keys.js';
import { commitment, sasCode, Verification, type VerifiedConnection } from '../../../../web/session/verification.js';
import { until } from '../../../helpers/until.js';

// The verification code with its commitment, between two Verification objects (one per page) on
// fake connections: each end's control messages reach the other end in order. A man in the middle
// is a pair of such connections with the attacker's code between them.

const sha256 = async (data: Uint8Array) => new Uint8Array(createHash('sha256').update(data).digest());
const random = () => new Uint8Array(randomBytes(32));
const options = (extra: Partial<ConstructorParameters<typeof Verification>[1]> = {}) => ({ sha256, random, ...extra });

class End implements VerifiedConnection {
  peer!: End;
  keys: KeysCheck | null;
  open = true;
  readonly sent: PeerMessage[] = [];
  private readonly events = new Emitter<{ control: [PeerMessage]; negotiated: []; refused: [] }>();
  /** What this end's page sends goes through here first (an attacker may change or drop it). */
  tap: (message: PeerMessage) => PeerMessage | null = (message) => message;
  constructor(local: string, remote: string) {
    this.keys = { ok: true, local, remote };
  }
  static pair(customer: [string, string], analyst: [string, string]): [End, End] {
    const a = new End(...customer);
    const b = new End(...analyst);
    a.peer = b;
    b.peer = a;
    return [a, b];
  }
  readonly channels = {
    sendControl: (message: PeerMessage) => {
      if (!this.open) return false;
      this.sent.push(message);
      const passed = this.tap(message);
      if (passed) queueMicrotask(() => this.peer.events.emit('control', JSON.parse(JSON.stringify(passed))));
      return true;
    },
    onControl: (listener: (message: PeerMessage) => void) => this.events.on('control', listener),
    whenOpen: async () => undefined,
  };
  async readKeys() {
    return this.keys;
  }
  onNegotiated(listener: () => void) {
    return this.events.on('negotiated', listener);
  }
  onNegotiationRefused(listener: () => void) {
    return this.events.on('refused', listener);
  }
  negotiated(): void {
    this.events.emit('negotiated');
  }
  /** Given up (an alarm about what it negotiated): it carries nothing more. */
  abandoned = false;
  abandon(): void {
    this.abandoned = true;
    this.open = false;
  }
  refused(): void {
    this.events.emit('refused');
  }
  /** A message to this end's page, as if from the other side. */
  deliver(message: PeerMessage): void {
    this.events.emit('control', message);
  }
}

const C = 'sha-256 CC:CC';
const A = 'sha-256 AA:AA';

function session(extra = {}) {
  const customer = new Verification('customer', options(extra));
  const analyst = new Verification('analyst', options(extra));
  const [c, a] = End.pair([C, A], [A, C]);
  customer.attach(c);
  analyst.attach(a);
  return { customer, analyst, c, a };
}

t.test('both pages work out the same code: commit, nonce, reveal, each a 256-bit value, the code from both keys and both nonces', async (t) => {
  const { customer, analyst, c, a } = session();
  await until('both codes', () => customer.code !== null && analyst.code !== null);
  t.equal(customer.code, analyst.code);
  t.match(customer.code, /^\d{3} \d{3}$/);
  t.same(c.sent.map((m) => m.type), ['verify.commit', 'verify.reveal']);
  t.same(a.sent.map((m) => m.type), ['verify.nonce']);
  const commit = c.sent[0] as Extract<PeerMessage, { type: 'verify.commit' }>;
  const reveal = c.sent[1] as Extract<PeerMessage, { type: 'verify.reveal' }>;
  const nonce = a.sent[0] as Extract<PeerMessage, { type: 'verify.nonce' }>;
  t.equal(commit.hash, await commitment(1, C, reveal.nonce, sha256), 'the commitment hides the nonce revealed later');
  t.equal(customer.code, await sasCode({ customer: C, analyst: A }, { customer: reveal.nonce, analyst: nonce.nonce }, 6, sha256));
  t.equal(customer.alarm, null);
  t.equal(customer.changed, false);
});

t.test('yes on one page is known on the other; a new code asks again', async (t) => {
  const { customer, analyst } = session();
  await until('both codes', () => customer.code !== null && analyst.code !== null);
  const heard: string[] = [];
  analyst.on('confirmed', (by) => heard.push(`analyst:${by}`));
  customer.on('confirmed', (by) => heard.push(`customer:${by}`));
  customer.confirm();
  customer.confirm();
  await until('the analyst knows', () => analyst.confirmedByPeer);
  analyst.confirm();
  await until('the customer knows', () => customer.confirmedByPeer);
  t.same(heard, ['customer:me', 'analyst:peer', 'analyst:me', 'customer:peer'], 'each once');
});

t.test('a man in the middle (a connection of its own with each page) relaying the exchange unchanged: the commitment check fails', async (t) => {
  const customer = new Verification('customer', options());
  const analyst = new Verification('analyst', options());
  const M1 = 'sha-256 11:11';
  const M2 = 'sha-256 22:22';
  // Customer ⇄ attacker (M1), attacker ⇄ analyst (M2); the attacker forwards every message.
  const [c, mc] = End.pair([C, M1], [M1, C]);
  const [ma, a] = End.pair([M2, A], [A, M2]);
  c.tap = (message) => (ma.channels.sendControl(message), null);
  a.tap = (message) => (mc.channels.sendControl(message), null);
  customer.attach(c);
  analyst.attach(a);
  await until('the analyst sees it', () => analyst.alarm !== null);
  t.equal(analyst.alarm?.reason, 'commitMismatch', "the customer's commitment names the customer's key, not the one the analyst sees");
  t.equal(analyst.code, null, 'no code is shown');
});

t.test('a man in the middle running the exchange with each page: the two codes differ', async (t) => {
  const { customer, analyst, attack } = middle();
  await attack();
  await until('both codes', () => customer.code !== null && analyst.code !== null);
  t.not(customer.code, analyst.code, 'what the two people read over the phone differs');
});

/**
 * A man in the middle that plays the protocol itself, as customer towards the analyst and analyst
 * towards the customer, and tries to make the codes match: it finishes the analyst's side first
 * (so that code is fixed), then, on the customer's side, it must send its nonce after seeing only
 * the customer's commitment: it grinds `tries` nonces against every nonce the customer could have
 * revealed... which it does not know. So it picks one. `digits` lowers the strength for the test.
 */
function middle(digits = 6, tries = 1) {
  const M1 = `sha-256 ${randomBytes(8).toString('hex')}`;
  const M2 = `sha-256 ${randomBytes(8).toString('hex')}`;
  const customer = new Verification('customer', options({ digits }));
  const analyst = new Verification('analyst', options({ digits }));
  const [c, mc] = End.pair([C, M1], [M1, C]);
  const [ma, a] = End.pair([M2, A], [A, M2]);
  const heldByAttacker: PeerMessage[] = [];
  c.tap = (message) => (heldByAttacker.push(message), null);
  let analystNonce: string | null = null;
  a.tap = (message) => {
    if (message.type === 'verify.nonce') analystNonce = message.nonce;
    return null;
  };
  customer.attach(c);
  analyst.attach(a);
  const attack = async () => {
    // The analyst's side: commit, read its nonce, reveal. Its code is now fixed.
    const mine = randomBytes(32).toString('hex');
    ma.peer.deliver({ type: 'verify.commit', round: 1, hash: await commitment(1, M2, mine, sha256) });
    await until('the analyst nonce', () => analystNonce !== null, 10_000, 0);
    ma.peer.deliver({ type: 'verify.reveal', round: 1, nonce: mine });
    await until('the analyst code', () => analyst.code !== null, 10_000, 0);
    const target = analyst.code!;
    // The customer's side: it has only the commitment. The best it can do is try nonces against
    // guesses of the customer's nonce; none of its tries can tell it which one will win.
    await until('the commitment', () => heldByAttacker.some((m) => m.type === 'verify.commit'), 10_000, 0);
    let pick = randomBytes(32).toString('hex');
    for (let i = 0; i < tries; i++) {
      const candidate = randomBytes(32).toString('hex');
      const guess = randomBytes(32).toString('hex');
      if ((await sasCode({ customer: C, analyst: M1 }, { customer: guess, analyst: candidate }, digits, sha256)) === target) pick = candidate;
    }
    mc.peer.deliver({ type: 'verify.nonce', round: 1, nonce: pick });
  };
  return { customer, analyst, attack };
}

t.test('grinding at two digits: an attacker who must choose before seeing the last value wins about 1 run in 100, not every run', async (t) => {
  const runs = 1500;
  let wins = 0;
  for (let run = 0; run < runs; run++) {
    const { customer, analyst, attack } = middle(2, 20);
    await attack();
    await until('both codes', () => customer.code !== null && analyst.code !== null, 10_000, 0);
    if (customer.code === analyst.code) wins += 1;
  }
  t.comment(`the attacker matched the codes in ${wins} of ${runs} runs at 2 digits`);
  // 1 in 100 expected: 15 of 1500, and 3..35 holds with overwhelming probability (binomial).
  t.ok(wins >= 3 && wins <= 35, `about 1 in 100 (${wins} of ${runs})`);

  // The old construction (a code of the fingerprints alone) with the same attacker: it grinds
  // its certificate until code(C, M1) equals code(M2, A), and wins every time.
  const oldCode = async (x: string, y: string) => sasCode({ customer: x, analyst: y }, { customer: '', analyst: '' }, 2, sha256);
  let oldWins = 0;
  for (let run = 0; run < 20; run++) {
    const target = await oldCode(`sha-256 ${randomBytes(8).toString('hex')}`, A);
    for (let i = 0; i < 2000; i++) {
      if ((await oldCode(C, `sha-256 ${randomBytes(8).toString('hex')}`)) === target) {
        oldWins += 1;
        break;
      }
    }
  }
  t.equal(oldWins, 20, 'without a commitment, grinding wins every run');
});

t.test('a new connection with the same two certificates shows the same code with no new round; new keys start a round and mark it changed', async (t) => {
  const { customer, analyst } = session();
  await until('both codes', () => customer.code !== null && analyst.code !== null);
  const first = customer.code;
  customer.confirm();
  const [c2, a2] = End.pair([C, A], [A, C]);
  customer.attach(c2);
  analyst.attach(a2);
  await until('both codes', () => customer.code !== null && analyst.code !== null);
  t.equal(customer.code, first);
  t.same(c2.sent.map((m) => m.type), [], 'no round: the same keys');
  t.equal(customer.changed, false);
  // A reload (or someone in the middle) brings other keys: a round, and the code is marked.
  const C2 = 'sha-256 C2:C2';
  const [c3, a3] = End.pair([C2, A], [A, C2]);
  customer.attach(c3);
  analyst.attach(a3);
  await until('both codes', () => customer.code !== null && analyst.code !== null && c3.sent.length === 2);
  t.equal(customer.code, analyst.code);
  t.not(customer.code, first);
  t.equal(customer.changed, true);
  t.equal(analyst.changed, true);
  t.equal(customer.confirmedByMe, false, 'a new code must be confirmed again');
});

t.test('a renegotiation that changes a fingerprint, adds a transport or is refused raises the alarm on both pages', async (t) => {
  for (const [change, reason] of [
    [(end: End) => (end.keys = { ok: true, local: C, remote: 'sha-256 EE:EE' }), 'fingerprintChanged'],
    [(end: End) => (end.keys = { ok: false, reason: 'secondTransport' }), 'secondTransport'],
    [(end: End) => (end.keys = { ok: false, reason: 'outsideBundle' }), 'outsideBundle'],
  ] as const) {
    const { customer, analyst, c } = session();
    await until('both codes', () => customer.code !== null && analyst.code !== null);
    change(c);
    c.negotiated();
    await until('the alarm on both pages', () => customer.alarm !== null && analyst.alarm !== null);
    t.same(customer.alarm, { reason, fromPeer: false }, `${reason}: seen by the customer's page`);
    t.same(analyst.alarm, { reason, fromPeer: true }, `${reason}: told to the analyst's page`);
    t.ok(c.abandoned, `${reason}: the connection is given up, after the alarm went on it`);
  }
  const { customer, analyst, c } = session();
  await until('both codes', () => customer.code !== null && analyst.code !== null);
  c.refused();
  await until('the alarm on both pages', () => analyst.alarm !== null);
  t.equal(customer.alarm?.reason, 'renegotiationRefused');
  t.ok(c.abandoned);
});

t.test('an alarm raised while no channel is open reaches the other page over the next connection', async (t) => {
  const { customer, analyst, c } = session();
  await until('both codes', () => customer.code !== null && analyst.code !== null);
  c.open = false;
  c.refused();
  t.equal(customer.alarm?.reason, 'renegotiationRefused');
  const [c2, a2] = End.pair([C, A], [A, C]);
  customer.attach(c2);
  analyst.attach(a2);
  await until('the analyst hears it', () => analyst.alarm !== null);
  t.same(analyst.alarm, { reason: 'renegotiationRefused', fromPeer: true });
});

t.test('new keys with no round (someone keeps the customer away): the analyst page raises the alarm; replayed commits are dropped', async (t) => {
  let fire: (() => void) | null = null;
  const analyst = new Verification('analyst', options({ schedule: (run: () => void, ms: number) => (ms > 1000 ? (fire = run) : setTimeout(run, ms), () => undefined) }));
  const [, a] = End.pair([C, A], [A, C]);
  analyst.attach(a);
  await until('the round timer', () => fire !== null);
  fire!();
  t.equal(analyst.alarm?.reason, 'roundMissing');

  const { customer, analyst: other, a: end } = session();
  await until('both codes', () => customer.code !== null && other.code !== null);
  const commit = (end.peer.sent[0] as Extract<PeerMessage, { type: 'verify.commit' }>);
  end.deliver(commit);
  end.deliver({ ...commit, round: 1 });
  await new Promise((resolve) => setTimeout(resolve, 10));
  t.same(end.sent.map((m) => m.type), ['verify.nonce'], 'one nonce: a replayed commit gets nothing');
});

t.test('messages for the wrong round, or out of order, change nothing', async (t) => {
  const customer = new Verification('customer', options());
  const [c] = End.pair([C, A], [A, C]);
  c.tap = () => null; // nothing reaches the analyst: the test plays it
  customer.attach(c);
  await until('the commit', () => c.sent.length === 1);
  c.deliver({ type: 'verify.nonce', round: 7, nonce: 'a'.repeat(64) });
  c.deliver({ type: 'verify.reveal', round: 1, nonce: 'b'.repeat(64) }); // only an analyst reads reveals
  await new Promise((resolve) => setTimeout(resolve, 10));
  t.equal(customer.code, null);
  t.same(c.sent.map((m) => m.type), ['verify.commit']);
  c.deliver({ type: 'verify.nonce', round: 1, nonce: 'a'.repeat(64) });
  await until('the code', () => customer.code !== null);
  c.deliver({ type: 'verify.nonce', round: 1, nonce: 'c'.repeat(64) });
  await new Promise((resolve) => setTimeout(resolve, 10));
  t.same(c.sent.map((m) => m.type), ['verify.commit', 'verify.reveal'], 'a second nonce is ignored');
});
