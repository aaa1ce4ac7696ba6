import t from 'tap';
import { LoginThrottle } from '../../../../signaling/auth/login-throttle.js';
import { ManualClock } from '../../../../signaling/clock.js';

const options = { failuresBeforeLock: 3, lockMs: 30_000, maxLockMs: 15 * 60_000, forgetAfterMs: 24 * 60 * 60_000 };
const user = { key: 'user:bob', limit: 3 };

t.test('an attempt counts when it begins: the third locks before its hash ends, a success takes it back', async (t) => {
  const clock = new ManualClock(0);
  const throttle = new LoginThrottle(clock, options);
  t.same([throttle.begin([user]), throttle.begin([user]), throttle.begin([user])], [0, 0, 0]);
  t.equal(throttle.begin([user]), 30_000, 'the fourth waits, whatever the three turn out to be');
  const address = { key: 'ip:1', limit: 2 };
  t.equal(throttle.begin([address]), 0);
  throttle.forgive([address]);
  t.equal(throttle.begin([address]), 0);
  t.equal(throttle.begin([address]), 0, 'the forgiven attempt does not count');
  throttle.forgive([address]); // the second of these succeeded: the lock it set is lifted
  t.equal(throttle.retryAfterMs([address.key]), 0);
});

t.test('the backoff keeps growing across locks: a failure after a long lock does not start over', async (t) => {
  const clock = new ManualClock(0);
  const throttle = new LoginThrottle(clock, options);
  for (let i = 0; i < 3; i++) throttle.begin([user]);
  const locks: number[] = [];
  for (let round = 0; round < 8; round++) {
    const wait = throttle.retryAfterMs([user.key]);
    locks.push(wait);
    clock.advance(wait + 1);
    t.equal(throttle.begin([user]), 0, `round ${round}: one guess after the lock`);
  }
  t.same(locks, [30_000, 60_000, 120_000, 240_000, 480_000, 900_000, 900_000, 900_000], 'doubling up to 15 min, and it stays there: one guess per 15 min');
  clock.advance(24 * 60 * 60_000 + 1);
  t.equal(throttle.begin([user]), 0);
  t.equal(throttle.begin([user]), 0, 'a quiet day later, the count starts over');
});
