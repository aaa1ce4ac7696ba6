import t from 'tap';
import type { WebSocket } from 'ws';
import type { IceConfig, ServerFrame } from '../../../protocol/index.js';
import { LocalBus } from '../../../signaling/bus.js';
import { ManualClock } from '../../../signaling/clock.js';
import { MemoryHelperPairing } from '../../../signaling/helper-pairing.js';
import { Hub } from '../../../signaling/hub.js';
import { LocalNodeRegistry } from '../../../signaling/node-registry.js';
import { MemoryTicketStore } from '../../../signaling/store/memory-store.js';
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

function setup() {
  const clock = new ManualClock();
  const store = new MemoryTicketStore(clock);
  const ice = new CountingIssuer();
  const hub = new Hub(store, QUEUES, clock, ice, new MemoryHelperPairing(clock), new LocalBus(), new LocalNodeRegistry('local'));
  let n = 0;
  const connect = (role: 'customer' | 'analyst', ticketId: string | null = null) => {
    const socket = new FakeSocket();
    const conn = new Connection(`local.${role}${n++}`, role, socket as unknown as WebSocket, role === 'analyst' ? ALICE : null, ticketId);
    hub.register(conn);
    return { conn, socket };
  };
  const ticket = (queue = 'general') => store.create({ queue, customer: { name: 'Ann', email: 'ann@example.com', phone: '' }, createdBy: 'customer' });
  return { clock, store, ice, hub, connect, ticket };
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
  t.same(analyst.socket.of('queue.ticketUpserted').map((f) => f.ticket.queue), ['general'], 'new tickets of other queues never reach them');
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
  t.equal(customer.socket.of('session.ice').length, 0, 'no credentials before consent');
  await store.apply(record.id, 'allow');
  const first = [customer.socket.of('session.ice'), analyst.socket.of('session.ice')];
  t.same(first.map((f) => f.length), [1, 1], 'each member gets credentials on consent');
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
