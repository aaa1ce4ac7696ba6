import t from 'tap';
import { RedisLink } from '../../signaling/redis/link.js';
import { RedisTicketStore } from '../../signaling/redis/redis-store.js';
import { startRedis } from '../helpers/redis.js';
import { storeContract } from '../helpers/store-contract.js';
import { storeProperties } from '../helpers/store-properties.js';

// The same contract as the memory store, against a real redis-server; then two stores (two
// nodes) sharing one Redis.
const redis = await startRedis();
t.teardown(() => redis.stop());
let n = 0;

storeContract(t, async (clock) => {
  const link = await RedisLink.connect(redis.url, `contract${n++}:`);
  const store = await RedisTicketStore.open(link, clock);
  const close = store.close.bind(store);
  store.close = async () => {
    await close();
    await link.close();
  };
  return store;
});

t.test('two nodes share tickets: a change on one is seen by the other, and takes across nodes have one winner', async (t) => {
  const { ManualClock } = await import('../../signaling/clock.js');
  const clock = new ManualClock();
  const links = await Promise.all([RedisLink.connect(redis.url, 'shared:'), RedisLink.connect(redis.url, 'shared:')]);
  const [a, b] = await Promise.all(links.map((link) => RedisTicketStore.open(link, clock)));
  t.teardown(() => Promise.all(links.map((l) => l.close())));
  const seenOnB: string[] = [];
  b.subscribe((ticket, previous) => seenOnB.push(`${previous}->${ticket.state}`));
  const ticket = await a.create({ queue: 'general', customer: { name: 'X', email: 'x@example.com', phone: '0123456789' }, createdBy: 'customer' });
  await a.setPresence(ticket.id, { customerConnection: 'nodeA.c1' });
  await waitFor(() => b.get(ticket.id)?.customerOnline === true);
  t.equal(b.position(ticket.id), 1, 'node B sees the ticket in the queue');
  const results = await Promise.all([
    ...Array.from({ length: 5 }, (_, i) => a.take(ticket.id, { id: `a${i}`, name: 'A', connectionId: `nodeA.x${i}` })),
    ...Array.from({ length: 5 }, (_, i) => b.take(ticket.id, { id: `b${i}`, name: 'B', connectionId: `nodeB.x${i}` })),
  ]);
  t.equal(results.filter((r) => r.ok).length, 1, 'exactly one winner across the two nodes');
  await waitFor(() => a.get(ticket.id)?.state === 'offered' && b.get(ticket.id)?.state === 'offered');
  t.equal(a.get(ticket.id)?.analyst?.id, b.get(ticket.id)?.analyst?.id, 'both nodes agree who won');
  await b.apply(ticket.id, 'end', 'analystEnded');
  await waitFor(() => a.get(ticket.id) === undefined);
  t.same(seenOnB, ['null->waiting', 'waiting->waiting', 'waiting->offered', 'offered->ended']);
});

async function waitFor(check: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

t.test('pairing codes on two nodes: wrong codes tried on either burn a live code once, even when tried at the same moment', async (t) => {
  const { ManualClock } = await import('../../signaling/clock.js');
  const { RedisHelperPairing, PAIRING_BURN_AFTER } = await import('../../signaling/helper-pairing.js');
  const clock = new ManualClock();
  const links = await Promise.all([RedisLink.connect(redis.url, 'pairing:'), RedisLink.connect(redis.url, 'pairing:')]);
  t.teardown(() => Promise.all(links.map((l) => l.close())));
  const [a, b] = links.map((link) => new RedisHelperPairing(link, clock, 60_000));
  const live = await a.issue('ticket-1');
  t.equal(await b.redeem('999999'), null);
  const burned = (await Promise.all(Array.from({ length: PAIRING_BURN_AFTER + 3 }, (_, i) => (i % 2 ? a : b).recordFailure()))).flat();
  t.same(burned, ['ticket-1'], 'burned once, by whichever node saw the last of the five');
  t.equal(await a.redeem(live.code), null, 'it no longer pairs on either node');
  const next = await b.issue('ticket-1');
  t.equal(await a.redeem(next.code), 'ticket-1', 'the new code pairs, on the other node');
});

// Random histories (fast-check) over two nodes on one Redis: the properties of the memory store,
// with takes racing across nodes and each step's changes travelling to the other node.
let runs = 0;
storeProperties(t, async (clock) => {
  const prefix = `props${runs++}:`;
  const links = await Promise.all([RedisLink.connect(redis.url, prefix), RedisLink.connect(redis.url, prefix)]);
  const nodes = (await Promise.all(links.map((link) => RedisTicketStore.open(link, clock)))) as [RedisTicketStore, RedisTicketStore];
  const view = (store: RedisTicketStore) => JSON.stringify(store.all().map((x) => [x.id, x.version]).sort());
  return {
    nodes,
    async settle() {
      for (let waited = 0; view(nodes[0]) !== view(nodes[1]); waited += 5) {
        if (waited > 3000) throw new Error('the two nodes did not agree within 3 s');
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    },
    async close() {
      await Promise.all(nodes.map((store) => store.close()));
      await Promise.all(links.map((link) => link.close()));
    },
  };
}, { numRuns: 60, maxSteps: 30 });
