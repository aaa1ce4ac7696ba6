import type { Test } from 'tap';
import { ManualClock } from '../../signaling/clock.js';
import type { NewTicket, TicketStore } from '../../signaling/store/ticket-store.js';

const input = (name: string, queue = 'general'): NewTicket => ({
  queue,
  customer: { name, email: `${name}@example.com`, phone: '0123456789' },
  createdBy: 'customer',
});

/** What every TicketStore must do, run against the memory store and against Redis. */
export function storeContract(t: Test, makeStore: (clock: ManualClock) => Promise<TicketStore>): void {
  const setup = async () => {
    const clock = new ManualClock();
    const store = await makeStore(clock);
    const make = async (name: string, queue = 'general') => {
      const ticket = await store.create(input(name, queue));
      await store.setPresence(ticket.id, { customerConnection: `n.${name}` });
      return ticket;
    };
    return { store, clock, make };
  };

  t.test('tickets get unique ids and 128-bit tokens', async (t) => {
    const { store, make } = await setup();
    t.teardown(() => store.close());
    const a = await make('a');
    const b = await make('b');
    t.not(a.id, b.id);
    t.not(a.token, b.token);
    t.equal(Buffer.from(a.token, 'base64url').length, 16);
    t.equal(store.byToken(a.token)?.id, a.id);
  });

  t.test('waitingIn() lists a queue oldest first and position() counts from 1', async (t) => {
    const { store, clock, make } = await setup();
    t.teardown(() => store.close());
    const first = await make('first');
    clock.advance(10);
    const other = await make('other', 'printers');
    const second = await make('second');
    t.same(store.waitingIn('general').map((x) => x.id), [first.id, second.id]);
    t.equal(store.position(first.id), 1);
    t.equal(store.position(second.id), 2);
    t.equal(store.position(other.id), 1);
    await store.apply(first.id, 'end', 'cancelled');
    t.equal(store.position(second.id), 1, 'moves up when the one ahead leaves');
  });

  t.test('take() rejects a ticket another analyst already took (concurrent takes, one winner)', async (t) => {
    const { store, make } = await setup();
    t.teardown(() => store.close());
    const ticket = await make('race');
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => store.take(ticket.id, { id: `analyst${i}`, name: `A${i}`, connectionId: `n.c${i}` })),
    );
    t.equal(results.filter((r) => r.ok).length, 1, 'one winner');
    t.equal(results.filter((r) => !r.ok && r.code === 'ticket.alreadyTaken').length, 9);
    const winner = results.find((r) => r.ok);
    t.equal(store.get(ticket.id)?.analyst?.id, winner?.ok ? winner.ticket.analyst?.id : undefined, 'the losers changed nothing');
    t.equal(store.get(ticket.id)?.state, 'offered');
  });

  t.test('take() refuses unknown tickets and customers who are not connected', async (t) => {
    const { store } = await setup();
    t.teardown(() => store.close());
    t.same(await store.take('nope', { id: 'a', name: 'A', connectionId: 'n.c' }), { ok: false, code: 'ticket.notFound' });
    const offline = await store.create(input('offline'));
    t.same(await store.take(offline.id, { id: 'a', name: 'A', connectionId: 'n.c' }), { ok: false, code: 'ticket.customerOffline' });
    t.equal(store.get(offline.id)?.state, 'waiting');
  });

  t.test('an ended ticket is forgotten with its token, and listeners hear every change', async (t) => {
    const { store, make } = await setup();
    t.teardown(() => store.close());
    const seen: string[] = [];
    store.subscribe((ticket, previous) => seen.push(`${previous}->${ticket.state}`));
    const ticket = await make('bye');
    await store.take(ticket.id, { id: 'a', name: 'A', connectionId: 'n.c' });
    await store.apply(ticket.id, 'allow');
    await store.apply(ticket.id, 'shareStart');
    await store.apply(ticket.id, 'end', 'customerEnded');
    t.same(seen, ['null->waiting', 'waiting->waiting', 'waiting->offered', 'offered->consented', 'consented->live', 'live->ended']);
    t.equal(store.get(ticket.id), undefined);
    t.equal(store.byToken(ticket.token), undefined);
    t.same(await store.apply(ticket.id, 'allow'), { ok: false, code: 'ticket.notFound' });
  });

  t.test('apply() refuses an event out of order and leaves the state alone', async (t) => {
    const { store, make } = await setup();
    t.teardown(() => store.close());
    const ticket = await make('order');
    t.same(await store.apply(ticket.id, 'allow'), { ok: false, code: 'session.invalidTransition' });
    t.equal(store.get(ticket.id)?.state, 'waiting');
  });

  t.test('expireOffline() ends waiting tickets whose customer stayed away past the grace', async (t) => {
    const { store, clock, make } = await setup();
    t.teardown(() => store.close());
    const left = await make('left');
    const stays = await make('stays');
    const link = await store.create({ ...input('link'), createdBy: 'analyst' });
    await store.setPresence(left.id, { customerConnection: null });
    clock.advance(59_999);
    t.same(await store.expireOffline({ customer: 60_000, link: 600_000, member: 20_000, closed: 5_000, maxWait: 7_200_000 }), []);
    clock.advance(1);
    t.same(await store.expireOffline({ customer: 60_000, link: 600_000, member: 20_000, closed: 5_000, maxWait: 7_200_000 }), [left.id]);
    t.ok(store.get(stays.id), 'an online customer is never expired');
    t.ok(store.get(link.id), 'an unopened analyst link lives longer');
    clock.advance(600_000);
    t.same(await store.expireOffline({ customer: 60_000, link: 600_000, member: 20_000, closed: 5_000, maxWait: 7_200_000 }), [link.id]);
  });

  t.test('a session member whose connection dropped has a grace to come back, then the session ends', async (t) => {
    const { store, clock, make } = await setup();
    t.teardown(() => store.close());
    const limits = { customer: 60_000, link: 600_000, member: 20_000, closed: 5_000, maxWait: 7_200_000 };
    const ticket = await make('blip');
    await store.take(ticket.id, { id: 'a', name: 'A', connectionId: 'n.analyst' });
    await store.apply(ticket.id, 'allow');
    await store.setPresence(ticket.id, { customerConnection: null });
    clock.advance(19_999);
    t.same(await store.expireOffline(limits), [], 'still within the grace');
    await store.setPresence(ticket.id, { customerConnection: 'n.back' });
    clock.advance(30_000);
    t.same(await store.expireOffline(limits), [], 'came back: the session goes on');
    await store.setPresence(ticket.id, { analystConnection: null });
    t.equal(store.get(ticket.id)?.analyst?.connectionId, null);
    clock.advance(20_000);
    const ended: string[] = [];
    store.subscribe((t2) => t2.state === 'ended' && ended.push(t2.endReason ?? ''));
    t.same(await store.expireOffline(limits), [ticket.id]);
    t.same(ended, ['analystLeft'], 'the analyst did not come back');
  });

  t.test('a word that a connection is gone changes nothing once the member is back on a newer one, and does not undo a clean close', async (t) => {
    const { store, clock, make } = await setup();
    t.teardown(() => store.close());
    const limits = { customer: 60_000, link: 600_000, member: 20_000, closed: 5_000, maxWait: 7_200_000 };
    const ticket = await make('race');
    await store.take(ticket.id, { id: 'a', name: 'A', connectionId: 'n.analyst' });
    await store.apply(ticket.id, 'allow');
    const first = store.get(ticket.id)!.customerConnection!;
    // The customer is back on a newer connection before the sweep's word about the old one lands.
    await store.setPresence(ticket.id, { customerConnection: 'n.newer' });
    await store.setPresence(ticket.id, { customerConnection: null, onlyIf: { customerConnection: [first] } });
    t.equal(store.get(ticket.id)?.customerConnection, 'n.newer', 'not marked away');
    // The page closes its socket on purpose; the sweep, which saw the socket gone too, says so after.
    await store.setPresence(ticket.id, { customerConnection: null, closed: true, onlyIf: { customerConnection: ['n.newer', null] } });
    await store.setPresence(ticket.id, { customerConnection: null, onlyIf: { customerConnection: ['n.newer'] } });
    await store.setPresence(ticket.id, { customerConnection: null });
    t.equal(store.get(ticket.id)?.customerClosed, true, 'still a clean close');
    clock.advance(5_000);
    const ended: string[] = [];
    store.subscribe((t2) => t2.state === 'ended' && ended.push(t2.endReason ?? ''));
    t.same(await store.expireOffline(limits), [ticket.id]);
    t.same(ended, ['customerClosed'], 'after the short grace');
  });

  t.test('the sweep marking a member away first does not cost the clean close that follows', async (t) => {
    const { store, make } = await setup();
    t.teardown(() => store.close());
    const ticket = await make('sweep-first');
    await store.take(ticket.id, { id: 'a', name: 'A', connectionId: 'n.analyst' });
    await store.apply(ticket.id, 'allow');
    const id = store.get(ticket.id)!.customerConnection!;
    await store.setPresence(ticket.id, { customerConnection: null, onlyIf: { customerConnection: [id] } });
    await store.setPresence(ticket.id, { customerConnection: null, closed: true, onlyIf: { customerConnection: [id, null] } });
    t.equal(store.get(ticket.id)?.customerClosed, true);
  });

  t.test('a member whose page closed on purpose (a closed tab, a reload) gets the short grace; back in time, the session goes on', async (t) => {
    const { store, clock, make } = await setup();
    t.teardown(() => store.close());
    const limits = { customer: 60_000, link: 600_000, member: 20_000, closed: 5_000, maxWait: 7_200_000 };
    const ticket = await make('reload');
    await store.take(ticket.id, { id: 'a', name: 'A', connectionId: 'n.analyst' });
    await store.apply(ticket.id, 'allow');
    await store.setPresence(ticket.id, { customerConnection: null, closed: true });
    t.equal(store.get(ticket.id)?.customerClosed, true);
    clock.advance(4_999);
    t.same(await store.expireOffline(limits), [], 'a reload is back within the short grace');
    await store.setPresence(ticket.id, { customerConnection: 'n.reloaded' });
    t.notOk(store.get(ticket.id)?.customerClosed, 'back: no longer closed');
    clock.advance(10_000);
    t.same(await store.expireOffline(limits), []);
    // The analyst's tab closes, and nothing comes back: ended after the short grace, as closed.
    await store.setPresence(ticket.id, { analystConnection: null, closed: true });
    const ended: string[] = [];
    store.subscribe((t2) => t2.state === 'ended' && ended.push(t2.endReason ?? ''));
    clock.advance(4_999);
    t.same(await store.expireOffline(limits), []);
    clock.advance(1);
    t.same(await store.expireOffline(limits), [ticket.id]);
    t.same(ended, ['analystClosed'], 'ended as a closed page, not a lost connection');

    const customer = await make('closer');
    await store.take(customer.id, { id: 'a', name: 'A', connectionId: 'n.analyst2' });
    await store.setPresence(customer.id, { customerConnection: null, closed: true });
    clock.advance(5_000);
    t.same(await store.expireOffline(limits), [customer.id]);
    t.same(ended.at(-1), 'customerClosed');
  });

  t.test('a waiting ticket ends after the maximum wait, even with its customer online; a session does not', async (t) => {
    const { store, clock, make } = await setup();
    t.teardown(() => store.close());
    const limits = { customer: 60_000, link: 600_000, member: 20_000, closed: 5_000, maxWait: 3_600_000 };
    const patient = await make('patient');
    const served = await make('served');
    await store.take(served.id, { id: 'a', name: 'A', connectionId: 'n.analyst' });
    await store.apply(served.id, 'allow');
    clock.advance(3_599_999);
    t.same(await store.expireOffline(limits), []);
    const ended: string[] = [];
    store.subscribe((t2) => t2.state === 'ended' && ended.push(t2.endReason ?? ''));
    clock.advance(1);
    t.same(await store.expireOffline(limits), [patient.id]);
    t.same(ended, ['waitedTooLong'], 'told why');
    t.ok(store.get(served.id), 'the session in progress goes on');
  });
}
