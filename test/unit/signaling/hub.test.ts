import t from 'tap';
import type { WebSocket } from 'ws';
import type { IceConfig, ServerFrame } from '../../../protocol/index.js';
import { LocalBus } from '../../../signaling/bus.js';
import { ManualClock } from '../../../signaling/clock.js';
import { MemoryHelperPairing } from '../../../signaling/helper-pairing.js';
import { Hub, LONG_PASS, POSITION_PASS_MS, QUEUE_CHANGES_MS } from '../../../signaling/hub.js';
import { LocalNodeRegistry } from '../../../signaling/node-registry.js';
import { MemoryTicketStore } from '../../../signaling/store/memory-store.js';
import { QueueHours } from '../../../signaling/queue-hours.js';
import { QueueOutlooks } from '../../../signaling/queue-outlook.js';
import { MemoryTeamPresence } from '../../../signaling/team-presence.js';
import { MemoryRatingSlots } from '../../../signaling/rating-slots.js';
import type { IceServerIssuer } from '../../../signaling/turn-credentials.js';
import { Connection } from '../../../signaling/ws/connection.js';

// The hub turns store changes into frames for the sockets of this node. Real store, clock,
// pairing and bus (the in-memory ones); sockets are small fakes that record what they are sent.
class FakeSocket {
  readyState = 1;
  readonly frames: ServerFrame[] = [];
  closedWith: number | null = null;
  send(data: string): void {
    this.frames.push(JSON.parse(data) as ServerFrame);
  }
  close(code: number): void {
    this.closedWith = code;
    this.readyState = 3;
  }
  of<T extends ServerFrame['type']>(type: T): Extract<ServerFrame, { type: T }>[] {
    return this.frames.filter((f) => f.type === type) as Extract<ServerFrame, { type: T }>[];
  }
}

/** Issues "<member>#<n>" as the TURN user name, so each issue is told apart; refresh after 60 s. */
class CountingIssuer implements IceServerIssuer {
  issued = 0;
  readonly refreshAfterMs = 60_000;
  issue(memberId: string): IceConfig {
    this.issued += 1;
    return { iceServers: [{ urls: ['turn:turn.test:3478'], username: `${memberId}#${this.issued}`, credential: 'c' }], iceTransportPolicy: 'all' };
  }
}

const QUEUES = [{ id: 'general', name: 'General' }, { id: 'printers', name: 'Printers' }];
const ALICE = { id: 'alice', username: 'alice', displayName: 'Alice', role: 'analyst' as const, queues: ['general'], generation: 0, totp: false, totpSetupRequired: false };

function setup(hours = new QueueHours(new Map())) {
  const clock = new ManualClock();
  const store = new MemoryTicketStore(clock);
  const ice = new CountingIssuer();
  const team = new MemoryTeamPresence();
  const outlooks = new QueueOutlooks(clock, hours, team);
  const ratings = new MemoryRatingSlots(clock);
  const hub = new Hub(store, QUEUES, clock, ice, new MemoryHelperPairing(clock), new LocalBus(), new LocalNodeRegistry('local'), { team, outlooks, ratings });
  let n = 0;
  const connect = (role: 'customer' | 'analyst', ticketId: string | null = null, analyst = ALICE) => {
    const socket = new FakeSocket();
    const conn = new Connection(`local.${role}${n++}`, role, socket as unknown as WebSocket, role === 'analyst' ? analyst : null, ticketId);
    hub.register(conn);
    return { conn, socket };
  };
  const ticket = (queue = 'general') => store.create({ queue, customer: { name: 'Ann', email: 'ann@example.com', phone: '' }, createdBy: 'customer' });
  return { clock, store, ice, hub, team, outlooks, ratings, connect, ticket };
}

t.test('a customer who connects gets the status; a second connection for the ticket replaces the first', async (t) => {
  const { store, hub, connect, ticket } = setup();
  const record = await ticket();
  const first = connect('customer', record.id);
  await hub.attachCustomer(first.conn, record);
  t.match(first.socket.of('ticket.status')[0], { state: 'waiting', position: 1, queueName: 'General' });
  const second = connect('customer', record.id);
  await hub.attachCustomer(second.conn, store.get(record.id)!);
  t.equal(first.socket.closedWith, 4409, 'the older tab is told it was replaced');
  t.equal(second.socket.of('ticket.status').length, 1);
});

t.test('an analyst sees the waiting tickets of their own queues only, live', async (t) => {
  const { hub, connect, ticket } = setup();
  await ticket('general');
  await ticket('printers');
  const analyst = connect('analyst');
  await hub.attachAnalyst(analyst.conn, [QUEUES[0]]);
  const snapshot = analyst.socket.of('queue.snapshot')[0];
  t.same(snapshot.tickets.map((x) => x.queue), ['general'], 'not the printers queue');
  await ticket('general');
  await ticket('printers');
  await new Promise((resolve) => setTimeout(resolve, QUEUE_CHANGES_MS + 20));
  const upserted = [...analyst.socket.of('queue.ticketUpserted').map((f) => f.ticket), ...analyst.socket.of('queue.changes').flatMap((f) => f.changes.flatMap((c) => ('upserted' in c ? [c.upserted] : [])))];
  t.ok(upserted.length > 0);
  t.same([...new Set(upserted.map((x) => x.queue))], ['general'], 'new tickets of other queues never reach them');
});

t.test('the consoles hear a burst of queue changes in one frame, the latest change of each ticket once, in order', async (t) => {
  const { store, hub, connect, ticket } = setup();
  const analyst = connect('analyst');
  await hub.attachAnalyst(analyst.conn, [QUEUES[0]]);
  const first = await ticket('general');
  await new Promise((resolve) => setTimeout(resolve, 5));
  t.same(analyst.socket.of('queue.ticketUpserted').map((f) => f.ticket.id), [first.id], 'the first change after a quiet interval goes out at once');
  // Within the interval: three joins, two customers coming online, one of them taken, a printers ticket.
  const records = [await ticket('general'), await ticket('general'), await ticket('general')];
  await ticket('printers');
  for (const record of records.slice(0, 2)) await hub.attachCustomer(connect('customer', record.id).conn, record);
  await store.take(records[0].id, { id: 'alice', name: 'Alice', connectionId: null });
  t.equal(analyst.socket.frames.filter((f) => f.type.startsWith('queue.') && f.type !== 'queue.snapshot' && f.type !== 'queue.team').length, 1, 'nothing more yet');
  await new Promise((resolve) => setTimeout(resolve, QUEUE_CHANGES_MS + 20));
  const batches = analyst.socket.of('queue.changes');
  t.equal(batches.length, 1, 'one frame for the burst');
  t.same(batches[0].changes.map((c) => ('upserted' in c ? `up ${c.upserted.id} ${c.upserted.customerOnline}` : `removed ${c.removed} ${c.reason}`)), [
    `up ${records[2].id} false`,
    `up ${records[1].id} true`,
    `removed ${records[0].id} taken`,
  ], 'each ticket once, with its latest state (joined, online, taken), in the order of the latest changes; nothing of printers');
  hub.dispose();
});

t.test('take, consent, fresh TURN credentials while the session runs, and the end', async (t) => {
  const { clock, store, ice, hub, connect, ticket } = setup();
  const record = await ticket();
  const customer = connect('customer', record.id);
  await hub.attachCustomer(customer.conn, record);
  const analyst = connect('analyst');
  await hub.attachAnalyst(analyst.conn, [QUEUES[0]]);
  t.ok((await store.take(record.id, { id: 'alice', name: 'Alice', connectionId: analyst.conn.id })).ok);
  t.equal(analyst.socket.of('session.started').length, 1, 'the analyst is in the session');
  t.equal(customer.socket.of('ticket.status').at(-1)?.state, 'offered', 'the customer is asked');
  t.equal(customer.socket.of('session.ice').length, 1, 'the customer gets its credentials with the consent dialog, so its page connects on the Allow click');
  const types = customer.socket.frames.map((f) => f.type);
  t.ok(types.lastIndexOf('session.ice') < types.lastIndexOf('ticket.status'), 'before the status that opens the dialog');
  t.equal(analyst.socket.of('session.ice').length, 0, 'the analyst none before consent');
  await store.apply(record.id, 'allow');
  const first = [customer.socket.of('session.ice'), analyst.socket.of('session.ice')];
  t.same(first.map((f) => f.length), [1, 1], 'the analyst gets its own on consent; the customer no second set');
  t.match(first[0][0].iceServers[0].username, /-customer#/);
  t.match(first[1][0].iceServers[0].username, /-analyst#/);

  clock.advance(59_000);
  hub.refreshIce();
  t.equal(ice.issued, 2, 'not yet');
  clock.advance(1000);
  hub.refreshIce();
  t.same([customer.socket.of('session.ice').length, analyst.socket.of('session.ice').length], [2, 2], 'fresh ones for both after the refresh period');

  await store.apply(record.id, 'end', 'analystEnded');
  t.equal(customer.socket.closedWith, 4410, 'the customer\'s socket closes with "ended"');
  t.equal(analyst.socket.of('session.state').at(-1)?.state, 'ended');
  clock.advance(120_000);
  hub.refreshIce();
  t.equal(ice.issued, 4, 'nothing is issued once the session is over');
});

t.test('positions move for everyone behind when the first waiting customer is taken', async (t) => {
  const { store, hub, connect, ticket } = setup();
  const records = [await ticket(), await ticket(), await ticket()];
  const sockets = [];
  for (const record of records) {
    const c = connect('customer', record.id);
    await hub.attachCustomer(c.conn, record);
    sockets.push(c.socket);
  }
  t.same(sockets.map((s) => s.of('ticket.status').at(-1)?.position), [1, 2, 3]);
  await store.take(records[0].id, { id: 'alice', name: 'Alice', connectionId: null });
  t.same(sockets.map((s) => s.of('ticket.status').at(-1)?.position), [0, 1, 2], 'one place forward');
});

t.test('a customer is told a position only when it changed: a join at the end sends nothing, a burst of leaves one frame each', async (t) => {
  const { store, hub, connect, ticket } = setup();
  const records: Awaited<ReturnType<typeof ticket>>[] = [];
  const sockets: ReturnType<typeof connect>['socket'][] = [];
  for (let i = 0; i < 6; i++) {
    const record = await ticket();
    const c = connect('customer', record.id);
    await hub.attachCustomer(c.conn, record);
    records.push(record);
    sockets.push(c.socket);
    await Promise.resolve();
  }
  const counts = () => sockets.map((s) => s.of('ticket.status').length);
  t.same(counts(), [1, 1, 1, 1, 1, 1], 'each told its place once, on arrival: the ones who came later moved no one');
  // The first three leave at once (taken, cancelled, taken): the three behind move three places, told once.
  await Promise.all([
    store.take(records[0].id, { id: 'alice', name: 'Alice', connectionId: null }),
    store.apply(records[1].id, 'end', 'cancelled'),
    store.take(records[2].id, { id: 'bob', name: 'Bob', connectionId: null }),
  ]);
  await new Promise((resolve) => setImmediate(resolve));
  t.same(sockets.slice(3).map((s) => s.of('ticket.status').map((f) => f.position)), [[4, 1], [5, 2], [6, 3]], 'one frame each, with the final place');
});

t.test('a long line: a join at the end costs no frame to anyone else; a burst of takes at its head makes one pass with the final places', async (t) => {
  const { store, hub, connect, ticket } = setup();
  const count = LONG_PASS + 50;
  const records: Awaited<ReturnType<typeof ticket>>[] = [];
  const sockets: ReturnType<typeof connect>['socket'][] = [];
  for (let i = 0; i < count; i++) {
    const record = await ticket();
    const c = connect('customer', record.id);
    await hub.attachCustomer(c.conn, record);
    records.push(record);
    sockets.push(c.socket);
  }
  await new Promise((resolve) => setImmediate(resolve));
  const frames = () => sockets.reduce((n, s) => n + s.of('ticket.status').length, 0);
  t.equal(frames(), count, 'each told its place once: a join moved no one');
  // The first take: a long pass, at once.
  const startedAt = performance.now();
  await store.take(records[0].id, { id: 'alice', name: 'Alice', connectionId: null });
  await new Promise((resolve) => setImmediate(resolve));
  t.equal(sockets[count - 1].of('ticket.status').at(-1)?.position, count - 1, 'the last one moved up at once');
  const afterFirst = frames();
  // Three more takes, each in a turn of its own, within the pass interval: one pass for all three.
  for (const record of records.slice(1, 4)) {
    await store.take(record.id, { id: 'alice', name: 'Alice', connectionId: null });
    await new Promise((resolve) => setImmediate(resolve));
  }
  t.equal(frames(), afterFirst + 3, 'only the three taken customers heard (their new state), no pass yet');
  await new Promise((resolve) => setTimeout(resolve, POSITION_PASS_MS + 50));
  t.ok(performance.now() - startedAt < POSITION_PASS_MS * 3, 'the pass came within its interval');
  t.same(sockets.slice(4, 7).map((s) => s.of('ticket.status').map((f) => f.position)), [[5, 4, 1], [6, 5, 2], [7, 6, 3]], 'one frame each for the burst, with the final place');
  t.equal(frames(), afterFirst + 3 + (count - 4), 'one frame per customer behind for the whole burst');
});
