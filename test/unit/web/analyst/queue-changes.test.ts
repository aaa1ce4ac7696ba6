import t from 'tap';
import type { TicketSummary } from '../../../../protocol/index.js';
import { applyQueueChanges } from '../../../../web/analyst/queue-changes.js';

const summary = (id: string, customerOnline = false): TicketSummary => ({ id, queue: 'general', name: id, email: `${id}@example.com`, phone: '', problem: '', createdAt: 1, customerOnline, state: 'waiting' });

t.test("a batch of queue changes applies in the server's order: upserts replace or add, removals take out", async (t) => {
  const list = [summary('a'), summary('b')];
  const next = applyQueueChanges(list, [{ upserted: summary('c') }, { removed: 'a', reason: 'taken' }, { upserted: summary('b', true) }, { removed: 'zz', reason: 'ended' }]);
  t.same(next.map((x) => `${x.id}${x.customerOnline ? '+' : ''}`), ['c', 'b+'], 'a removed, b updated (moved to the latest), c added, an unknown removal ignored');
  t.same(list.map((x) => x.id), ['a', 'b'], 'the list given is not changed');
  t.same(applyQueueChanges(next, []).map((x) => x.id), ['c', 'b']);
});
