import t from 'tap';
import type { SessionState } from '../../../protocol/index.js';
import { isWaiting } from '../../../signaling/session-machine.js';
import { newTicket } from '../../../signaling/store/ticket-rules.js';
import type { TicketRecord } from '../../../signaling/store/ticket-store.js';
import { WaitingLines } from '../../../signaling/store/waiting-lines.js';

// The ordered waiting lines against the plain definition (filter every record, sort by the
// queue's order), over random joins, takes, returns to the line, presence changes and ends,
// with many tickets made in the same millisecond.
const naiveLine = (records: Iterable<TicketRecord>, queue: string) =>
  [...records].filter((r) => r.queue === queue && isWaiting(r.state)).sort((a, b) => a.createdAt - b.createdAt || a.seq - b.seq || (a.id < b.id ? -1 : 1));

function seeded(seed: number) {
  return () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
}

t.test('the lines, positions, places and per-address counts match the plain definition after every change', async (t) => {
  for (const seed of [1, 2, 3]) {
    const random = seeded(seed);
    const lines = new WaitingLines();
    const records = new Map<string, TicketRecord>();
    const queues = ['a', 'b', 'c'];
    const origins = ['198.51.100.1', '198.51.100.2', undefined];
    let now = 1_000;
    let problems = 0;
    const change = (before: TicketRecord | undefined, after: TicketRecord | undefined) => {
      lines.update(before, after);
      const id = (after ?? before)!.id;
      if (after) records.set(id, after);
      else records.delete(id);
    };
    for (let step = 0; step < 3000; step++) {
      const roll = random();
      const all = [...records.values()];
      const some = all[Math.floor(random() * all.length)];
      if (roll < 0.4 || !some) {
        // A new ticket; one in three in the same millisecond as the one before.
        if (random() > 0.33) now += 1;
        const origin = origins[Math.floor(random() * origins.length)];
        change(undefined, newTicket({ queue: queues[Math.floor(random() * 3)], customer: { name: 'N', email: 'n@example.com', phone: '' }, createdBy: 'customer', ...(origin ? { origin } : {}) }, now, Math.floor(random() * 3)));
      } else {
        const state: SessionState = (['waiting', 'offered', 'live', 'waiting', 'ended'] as const)[Math.floor(random() * 5)];
        const next = { ...some, state, customerOnline: random() > 0.5, version: some.version + 1 };
        change(some, state === 'ended' ? undefined : next);
      }
      for (const queue of queues) {
        const expected = naiveLine(records.values(), queue);
        const line = lines.line(queue);
        if (line.length !== expected.length || line.some((r, i) => r !== expected[i])) problems += 1;
        expected.forEach((r, i) => lines.position(r) !== i + 1 && (problems += 1));
      }
      if (some && !isWaiting(some.state)) {
        // A ticket not in its line: its place is where it would stand.
        const expected = naiveLine(records.values(), some.queue).filter((r) => r.createdAt < some.createdAt || (r.createdAt === some.createdAt && (r.seq < some.seq || (r.seq === some.seq && r.id < some.id)))).length;
        if (!records.has(some.id) || !isWaiting(records.get(some.id)!.state)) if (lines.placeOf(some) !== expected) problems += 1;
      }
      for (const origin of origins.filter((o): o is string => o !== undefined)) {
        if (lines.waitingFrom(origin) !== [...records.values()].filter((r) => r.origin === origin && isWaiting(r.state)).length) problems += 1;
      }
    }
    t.equal(problems, 0, `seed ${seed}: 3,000 random changes, no difference`);
    t.ok(queues.some((q) => lines.line(q).length > 20), `seed ${seed}: the lines grew long enough to mean something`);
  }
});

t.test('a ticket not waiting has position 0; a leave from the middle gives the place of the first one behind', async (t) => {
  const lines = new WaitingLines();
  const made = [0, 1, 2, 3].map((i) => newTicket({ queue: 'q', customer: { name: 'N', email: 'n@example.com', phone: '' }, createdBy: 'customer' }, 1000 + i, i));
  made.forEach((r) => lines.update(undefined, r));
  t.same(made.map((r) => lines.position(r)), [1, 2, 3, 4]);
  const taken = { ...made[1], state: 'offered' as const, version: 2 };
  lines.update(made[1], taken);
  t.equal(lines.position(taken), 0);
  t.equal(lines.placeOf(taken), 1, 'the customers from index 1 on moved');
  t.same(lines.line('q').map((r) => r.id), [made[0].id, made[2].id, made[3].id]);
  lines.update(taken, { ...taken, state: 'waiting', version: 3 });
  t.equal(lines.position(made[1]), 2, 'back in its old place when the analyst lets go');
  t.same(lines.line('nowhere'), []);
});
