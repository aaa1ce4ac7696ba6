import t from 'tap';
import { FLOOD_NOTICE_EVERY_MS, FloodGuard } from '../../../../web/activity/flood-guard.js';

t.test('each kind has its own burst and sustained rate; the notice comes at most every 10 s', async (t) => {
  let now = 0;
  const guard = new FloodGuard(() => now);
  let chats = 0;
  for (let i = 0; i < 1000; i++) chats += guard.allow('chat') ? 1 : 0;
  t.equal(chats, 20, 'a burst of 20 chat messages at once');
  t.ok(guard.allow('pushedLink'), 'another kind is not affected');
  now += 1000;
  let later = 0;
  for (let i = 0; i < 100; i++) later += guard.allow('chat') ? 1 : 0;
  t.equal(later, 5, 'then 5 a second');
  t.equal(guard.dropped, 1075);
  t.ok(guard.shouldNotice());
  t.notOk(guard.shouldNotice(), 'not again at once');
  now += FLOOD_NOTICE_EVERY_MS;
  t.ok(guard.shouldNotice(), 'again after 10 s');
  now += 3_600_000;
  let refilled = 0;
  for (let i = 0; i < 100; i++) refilled += guard.allow('chat') ? 1 : 0;
  t.equal(refilled, 20, 'a quiet hour refills the burst, no more');
});
