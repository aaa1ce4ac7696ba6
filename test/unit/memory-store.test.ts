import t from 'tap';
import { ManualClock } from '../../signaling/clock.js';
import { MemoryTicketStore } from '../../signaling/store/memory-store.js';
import type { NewTicket } from '../../signaling/store/ticket-store.js';

const input = (name: string, queue = 'general'): NewTicket => ({
  queue,
  customer: { name, email: `${name}@example.com`, phone: '0123456789' },
  createdBy: 'customer',
});

function storeWithOnline(clock = new ManualClock()) {
  const store = new MemoryTicketStore(clock);
  const make = (name: string, queue = 'general') => {
    const ticket = store.create(input(name, queue));
    store.setCustomerOnline(ticket.id, true);
    return ticket;
  };
  return { store, clock, make };
}

t.test('tickets get unique ids and 128-bit tokens', async (t) => {
  const { store, make } = storeWithOnline();
  const a = make('a');
  const b = make('b');
  t.not(a.id, b.id);
  t.not(a.token, b.token);
  t.equal(Buffer.from(a.token, 'base64url').length, 16);
  t.equal(store.byToken(a.token)?.id, a.id);
});

t.test('waitingIn() lists a queue oldest first and position() counts from 1', async (t) => {
  const { store, clock, make } = storeWithOnline();
  const first = make('first');
  clock.advance(10);
  const other = make('other', 'printers');
  const second = make('second');
  t.same(store.waitingIn('general').map((x) => x.id), [first.id, second.id]);
  t.equal(store.position(first.id), 1);
  t.equal(store.position(second.id), 2);
  t.equal(store.position(other.id), 1);
  store.apply(first.id, 'end', 'cancelled');
  t.equal(store.position(second.id), 1, 'moves up when the one ahead leaves');
});

t.test('take() rejects a ticket another analyst already took (two analysts, one winner)', async (t) => {
  const { store, make } = storeWithOnline();
  const ticket = make('race');
  const first = store.take(ticket.id, { id: 'alice', name: 'Alice', connectionId: 'c1' });
  const second = store.take(ticket.id, { id: 'bob', name: 'Bob', connectionId: 'c2' });
  t.ok(first.ok);
  t.same(second, { ok: false, code: 'ticket.alreadyTaken' });
  t.equal(store.get(ticket.id)?.analyst?.id, 'alice', 'the loser changed nothing');
  t.equal(store.get(ticket.id)?.state, 'offered');
});

t.test('take() refuses unknown tickets and customers who are not connected', async (t) => {
  const { store } = storeWithOnline();
  t.same(store.take('nope', { id: 'a', name: 'A', connectionId: 'c' }), { ok: false, code: 'ticket.notFound' });
  const offline = store.create(input('offline'));
  t.same(store.take(offline.id, { id: 'a', name: 'A', connectionId: 'c' }), { ok: false, code: 'ticket.customerOffline' });
  t.equal(store.get(offline.id)?.state, 'waiting');
});

t.test('an ended ticket is forgotten with its token, and listeners hear every change', async (t) => {
  const { store, make } = storeWithOnline();
  const seen: string[] = [];
  store.subscribe((ticket, previous) => seen.push(`${previous}->${ticket.state}`));
  const ticket = make('bye');
  store.take(ticket.id, { id: 'a', name: 'A', connectionId: 'c' });
  store.apply(ticket.id, 'allow');
  store.apply(ticket.id, 'shareStart');
  store.apply(ticket.id, 'end', 'customerEnded');
  t.same(seen, ['null->waiting', 'waiting->waiting', 'waiting->offered', 'offered->consented', 'consented->live', 'live->ended']);
  t.equal(store.get(ticket.id), undefined);
  t.equal(store.byToken(ticket.token), undefined);
  t.same(store.apply(ticket.id, 'allow'), { ok: false, code: 'ticket.notFound' });
});

t.test('apply() refuses an event out of order and leaves the state alone', async (t) => {
  const { store, make } = storeWithOnline();
  const ticket = make('order');
  t.same(store.apply(ticket.id, 'allow'), { ok: false, code: 'session.invalidTransition' });
  t.equal(store.get(ticket.id)?.state, 'waiting');
});

t.test('expireOffline() ends waiting tickets whose customer stayed away past the grace', async (t) => {
  const { store, clock, make } = storeWithOnline();
  const left = make('left');
  const stays = make('stays');
  const link = store.create({ ...input('link'), createdBy: 'analyst' });
  store.setCustomerOnline(left.id, false);
  clock.advance(59_999);
  t.same(store.expireOffline({ customer: 60_000, link: 600_000 }), []);
  clock.advance(1);
  t.same(store.expireOffline({ customer: 60_000, link: 600_000 }), [left.id]);
  t.ok(store.get(stays.id), 'an online customer is never expired');
  t.ok(store.get(link.id), 'an unopened analyst link lives longer');
  clock.advance(600_000);
  t.same(store.expireOffline({ customer: 60_000, link: 600_000 }), [link.id]);
});
