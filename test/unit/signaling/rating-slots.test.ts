import t from 'tap';
import { ManualClock } from '../../../signaling/clock.js';
import { MemoryRatingSlots, RATING_TTL_MS } from '../../../signaling/rating-slots.js';

t.test('a rating slot is taken once, within RATING_TTL_MS', async (t) => {
  const clock = new ManualClock();
  const slots = new MemoryRatingSlots(clock);
  const slot = { sessionId: 's1', queue: 'general', analystConnection: 'local.a' };
  const token = slots.open(slot);
  t.match(token, /^[A-Za-z0-9_-]{24}$/, '144 random bits');
  t.not(slots.open(slot), token, 'each slot its own token');
  t.same(await slots.take(token), slot);
  t.equal(await slots.take(token), null, 'spent');
  const late = slots.open(slot);
  clock.advance(RATING_TTL_MS);
  t.equal(await slots.take(late), null, 'too late');
  t.equal(await slots.take('made-up'), null);
});
