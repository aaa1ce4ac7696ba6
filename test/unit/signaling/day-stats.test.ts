import t from 'tap';
import { ManualClock } from '../../../signaling/clock.js';
import { DayStats } from '../../../signaling/day-stats.js';
import { MemoryTicketStore } from '../../../signaling/store/memory-store.js';

t.test('today\'s takes, median time to take and sessions per queue, from midnight in the time zone', async (t) => {
  // 23:00 in Paris on 2026-12-01 is 22:00 UTC.
  const clock = new ManualClock(Date.parse('2026-12-01T21:00:00Z'));
  const store = new MemoryTicketStore(clock);
  const stats = new DayStats(store, clock, 'Europe/Paris');
  const customer = { name: 'Ann', email: 'ann@example.com', phone: '' };
  const takeAfter = async (waitMs: number) => {
    const ticket = await store.create({ queue: 'general', customer, createdBy: 'customer' });
    await store.setPresence(ticket.id, { customerConnection: 'local.c' });
    clock.advance(waitMs);
    await store.take(ticket.id, { id: 'bob', name: 'Bob', connectionId: 'local.b' });
    return ticket.id;
  };
  const a = await takeAfter(10_000);
  await takeAfter(30_000);
  await takeAfter(20_000);
  t.same(stats.of('general'), { takes: 3, sessions: 0, medianTimeToTakeMs: 20_000 });
  await takeAfter(40_000);
  t.equal(stats.of('general').medianTimeToTakeMs, 25_000, 'an even count: the middle two');
  await store.apply(a, 'allow');
  await store.apply(a, 'end', 'customerEnded');
  t.equal(stats.of('general').sessions, 1, 'an allowed session that ended');
  t.same(stats.of('printers'), { takes: 0, sessions: 0, medianTimeToTakeMs: null });
  clock.advance(2 * 60 * 60_000);
  t.same(stats.of('general'), { takes: 0, sessions: 0, medianTimeToTakeMs: null }, 'past midnight in Paris: a new day');
});
