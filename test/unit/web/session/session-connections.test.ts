import t from 'tap';
import type { ClientFrame, IceConfig, Role } from '../../../../protocol/index.js';
import { CONNECTION_TIMEOUT_MS, numberAboveClock, replacementDelay } from '../../../../web/session/connection-replacement.js';

/** The jitter at its top: each wait is its step in full. */
const noJitter = () => 1;
const REPLACEMENT_DELAYS_MS = [0, 1, 2].map((attempt) => replacementDelay(attempt, noJitter));
import type { SessionConnectionEvents } from '../../../../web/session/session-connection.js';
import { AnalystConnections, CustomerConnections, type ConnectionLike } from '../../../../web/session/session-connections.js';

// The owners of a session's connections, with fake connections and a hand-driven timer: numbering,
// replacement after a loss, the connect timeout, "linkClosed", leftovers.
class FakeConnection implements ConnectionLike {
  isConnected = false;
  isClosed = false;
  isAbandoned = false;
  readonly channels = { interrupted: false };
  readonly signals: unknown[] = [];
  ice: IceConfig;
  constructor(readonly role: Role, readonly number: number, ice: IceConfig, readonly events: SessionConnectionEvents) {
    this.ice = ice;
  }
  signal(data: unknown): void {
    this.signals.push(data);
  }
  updateIce(ice: IceConfig): void {
    this.ice = ice;
  }
  destroy(): void {
    this.isClosed = true;
  }
  // what the browser would do
  connect(): void {
    this.isConnected = true;
    this.events.onConnect();
  }
  fail(): void {
    this.isClosed = true;
    this.channels.interrupted = true;
    this.events.onClose();
  }
  /** Given up by the page after an alarm, the path still up. */
  abandon(): void {
    this.isClosed = true;
    this.isAbandoned = true;
    this.events.onClose();
  }
}

function harness<K extends 'customer' | 'analyst'>(kind: K, linkNumber?: (previous: number | null) => number) {
  const made: FakeConnection[] = [];
  const sent: ClientFrame[] = [];
  const timers: Array<{ run: () => void; ms: number; cancelled: boolean }> = [];
  let signalingOpen = true;
  const wiring = {
    send: (frame: ClientFrame) => (sent.push(frame), true),
    isSignalingOpen: () => signalingOpen,
    random: noJitter,
    ...(linkNumber ? { linkNumber } : {}),
    schedule: (run: () => void, ms: number) => {
      const timer = { run, ms, cancelled: false };
      timers.push(timer);
      return () => (timer.cancelled = true);
    },
  };
  const make = (role: Role, number: number, ice: IceConfig, events: SessionConnectionEvents) => {
    const connection = new FakeConnection(role, number, ice, events);
    made.push(connection);
    return connection;
  };
  const owner = (kind === 'customer' ? new CustomerConnections(wiring, make) : new AnalystConnections(wiring, make)) as K extends 'customer' ? CustomerConnections<FakeConnection> : AnalystConnections<FakeConnection>;
  /** Runs the pending timers (the ones not cancelled), oldest first. */
  const tick = () => {
    const due = timers.splice(0);
    for (const timer of due) if (!timer.cancelled) timer.run();
    return due.filter((timer) => !timer.cancelled).map((timer) => timer.ms);
  };
  return { owner, made, sent, timers, tick, setSignaling: (open: boolean) => (signalingOpen = open) };
}

const signal = (link: number, data: object = { type: 'offer', sdp: 'x' }) => ({ type: 'signal' as const, from: 'analyst' as const, link, data: data as never });

t.test('customer: a connection that fails for good is replaced by the next number, with a growing backoff', async (t) => {
  const { owner, made, sent, tick } = harness('customer');
  const seen: Array<number | null> = [];
  owner.on('connection', (c) => seen.push(c?.number ?? null));
  owner.ensure();
  owner.ensure();
  t.equal(made.length, 1, 'one connection, however often the state says consented');
  made[0].events.onSignal({ type: 'offer', sdp: 'o' } as never);
  t.same(sent.at(-1), { type: 'signal', link: 0, data: { type: 'offer', sdp: 'o' } }, 'its signals carry its number');
  made[0].connect();
  made[0].fail();
  t.same(tick(), [REPLACEMENT_DELAYS_MS[0]], 'replaced after the first delay');
  t.equal(made[1].number, 1);
  t.ok(made[0].isClosed);
  made[1].fail();
  t.ok(tick().includes(REPLACEMENT_DELAYS_MS[1]), 'then a longer wait');
  t.same(seen, [0, 1, 2]);
});

t.test('customer: "linkClosed" from the analyst replaces at once; leftovers of an earlier number are dropped', async (t) => {
  const { owner, made, tick } = harness('customer');
  owner.ensure();
  made[0].connect();
  owner.onSignal(signal(0, { type: 'linkClosed' }));
  t.same(tick(), [0], 'no waiting for its own end to fail');
  t.equal(made.length, 2);
  owner.onSignal(signal(0, { type: 'answer', sdp: 'late' }));
  t.same(made[1].signals, [], 'a leftover of connection 0 does not reach connection 1');
  owner.onSignal(signal(1, { type: 'answer', sdp: 'a' }));
  t.same(made[1].signals, [{ type: 'answer', sdp: 'a' }]);
});

t.test('customer: while signaling is down the replacement waits; a new one that never connects is replaced; stop() ends it all', async (t) => {
  const { owner, made, tick, setSignaling } = harness('customer');
  owner.ensure();
  made[0].fail();
  setSignaling(false);
  tick();
  t.equal(made.length, 1, 'no offer can travel: not yet');
  setSignaling(true);
  t.same(tick(), [1000]);
  t.equal(made.length, 2);
  t.same(tick().sort(), [CONNECTION_TIMEOUT_MS], 'connection 1 has a connect timeout');
  t.same(tick(), [REPLACEMENT_DELAYS_MS[1]]);
  t.equal(made.length, 3, 'it never connected: replaced');
  owner.setIce({ iceServers: [{ urls: ['turn:x'] }], iceTransportPolicy: 'relay' });
  t.equal(made[2].ice.iceTransportPolicy, 'relay', 'fresh credentials reach the running connection');
  owner.stop();
  t.ok(made[2].isClosed);
  owner.ensure();
  t.equal(made.length, 3, 'nothing after the end');
});

t.test('analyst: answers the customer\'s newest connection, ignores older ones, and says when its own end failed', async (t) => {
  const { owner, made, sent } = harness('analyst');
  const streams: Array<unknown> = [];
  owner.on('remoteStream', (s) => streams.push(s));
  t.equal(made.length, 0, 'nothing before the customer\'s first offer');
  owner.onSignal(signal(0));
  t.equal(made.length, 1);
  t.same(made[0].signals.length, 1);
  owner.onSignal(signal(2));
  t.equal(made.length, 2, 'a higher number: a new answering connection');
  t.ok(made[0].isClosed, 'the old one goes');
  owner.onSignal(signal(1));
  t.equal(made[1].signals.length, 1, 'a lower number is a leftover');
  made[1].fail();
  t.same(sent.at(-1), { type: 'signal', link: 2, data: { type: 'linkClosed' } }, 'the customer hears at once');
  owner.onSignal(signal(3));
  made[2].abandon();
  t.same(sent.at(-1), { type: 'signal', link: 3, data: { type: 'linkClosed' } }, 'a link given up after an alarm: the customer hears at once too');
  owner.drop();
  t.same(streams.at(-1), null, 'the picture is cleared');
});

t.test('customer: numbered from the clock, a reloaded page starts above the old one; the analyst\'s page back renews a connection that is down', async (t) => {
  let now = 1_700_000_000_000;
  const byClock = (previous: number | null) => numberAboveClock(previous, now);
  const old = harness('customer', byClock);
  old.owner.ensure();
  old.made[0].connect();
  old.made[0].fail();
  old.tick();
  t.same(old.made.map((c) => c.number), [now, now + 1], 'above the last, even within the same millisecond');
  now += 700; // the page reloads
  const reloaded = harness('customer', byClock);
  reloaded.owner.ensure();
  t.ok(reloaded.made[0].number > old.made[1].number, 'the reloaded page\'s first connection is above every earlier one');

  // The analyst's page was away (a reload) and is back: our connection is not up, so the next starts now.
  reloaded.owner.renewIfDown();
  t.same(reloaded.tick(), [0], 'at once');
  t.equal(reloaded.made.length, 2);
  reloaded.made[1].connect();
  reloaded.owner.renewIfDown();
  t.notOk(reloaded.tick().includes(0), 'a connection that is up stays');
  t.equal(reloaded.made.length, 2);
});

t.test('analyst: once the customer\'s page is back, its next connection replaces ours whatever its number', async (t) => {
  const { owner, made } = harness('analyst');
  owner.onSignal(signal(500, { type: 'offer', sdp: 'first page' }));
  t.equal(made[0].number, 500);
  owner.onSignal(signal(20, { type: 'offer', sdp: 'late' }));
  t.equal(made.length, 1, 'a lower number is a leftover');
  owner.expectNewPage(); // another device, its clock behind
  owner.onSignal(signal(20, { type: 'offer', sdp: 'new page' }));
  t.equal(made.length, 2, 'the new page\'s connection is answered');
  t.same(made[1].signals, [{ type: 'offer', sdp: 'new page' }]);
  owner.onSignal(signal(19, { type: 'candidate' }));
  t.equal(made.length, 2, 'after that, lower numbers are leftovers again');
});

t.test('customer: Allow starts the first connection at once when the consent dialog brought the ICE servers, and only then', async (t) => {
  const { owner, made } = harness('customer');
  owner.allowed();
  t.equal(made.length, 0, 'no ICE servers yet: the page waits for the server\'s "consented" (ensure)');
  const ice: IceConfig = { iceServers: [{ urls: ['turn:relay.example:443'] }], iceTransportPolicy: 'all' };
  owner.setIce(ice);
  owner.allowed();
  t.equal(made.length, 1, 'made on the click');
  t.same(made[0].ice, ice, 'with the servers the dialog brought');
  owner.ensure();
  t.equal(made.length, 1, 'the "consented" that follows makes no second one');
  owner.stop();
  owner.allowed();
  t.equal(made.length, 1, 'nothing once the session is over');
});
