import type { Test } from 'tap';
import type { KnownAddresses } from '../../signaling/auth/known-addresses.js';
import type { LoginThrottle, ThrottleOptions } from '../../signaling/auth/login-throttle.js';
import { ManualClock } from '../../signaling/clock.js';

const options: ThrottleOptions = { failuresBeforeLock: 3, lockMs: 30_000, maxLockMs: 15 * 60_000, forgetAfterMs: 24 * 60 * 60_000 };

export interface Counters {
  throttle: LoginThrottle;
  known: KnownAddresses;
  close(): Promise<void>;
}

/**
 * What the lock-out and the known addresses must do, in one node's memory and in Redis (where
 * every node shares them). `make` gives two views of the same counters (two nodes when shared,
 * the same object twice in memory).
 */
export function countersContract(t: Test, make: (clock: ManualClock, options: ThrottleOptions) => Promise<[Counters, Counters]>): void {
  const setup = async (t: Test) => {
    const clock = new ManualClock(1_000_000);
    const [a, b] = await make(clock, options);
    t.teardown(async () => {
      await a.close();
      await b.close();
    });
    return { clock, a, b };
  };
  const user = { key: 'user:bob', limit: 3 };

  t.test('an attempt counts when it begins: the third locks before its hash ends, a success takes it back', async (t) => {
    const { a: { throttle } } = await setup(t);
    t.same([await throttle.begin([user]), await throttle.begin([user]), await throttle.begin([user])], [0, 0, 0]);
    t.equal(await throttle.begin([user]), 30_000, 'the fourth waits, whatever the three turn out to be');
    const address = { key: 'ip:1', limit: 2 };
    t.equal(await throttle.begin([address]), 0);
    await throttle.forgive([address]);
    t.equal(await throttle.begin([address]), 0);
    t.equal(await throttle.begin([address]), 0, 'the forgiven attempt does not count');
    await throttle.forgive([address]); // the second of these succeeded: the lock it set is lifted
    t.equal(await throttle.retryAfterMs([address.key]), 0);
  });

  t.test('checked-only keys block an attempt without counting it', async (t) => {
    const { a: { throttle } } = await setup(t);
    const address = { key: 'ip:2', limit: 2 };
    await throttle.fail([address]);
    t.equal(await throttle.begin([user], [address.key]), 0, 'one failure: not locked');
    await throttle.fail([address]);
    t.equal(await throttle.begin([user], [address.key]), 30_000, 'the address is locked');
    t.equal(await throttle.begin([user]), 0, 'the locked attempt was not counted against the user: this is their second');
    t.equal(await throttle.begin([user]), 0);
    t.equal(await throttle.begin([user]), 30_000);
  });

  t.test('locks double up to the longest, and a failure after a long lock does not start over', async (t) => {
    const { clock, a: { throttle } } = await setup(t);
    for (let i = 0; i < 3; i++) await throttle.begin([user]);
    const locks: number[] = [];
    for (let round = 0; round < 8; round++) {
      const wait = await throttle.retryAfterMs([user.key]);
      locks.push(wait);
      clock.advance(wait + 1);
      t.equal(await throttle.begin([user]), 0, `round ${round}: one guess after the lock`);
    }
    t.same(locks, [30_000, 60_000, 120_000, 240_000, 480_000, 900_000, 900_000, 900_000], 'doubling up to 15 min, and it stays there: one guess per 15 min');
    clock.advance(24 * 60 * 60_000 + 1);
    t.equal(await throttle.begin([user]), 0);
    t.equal(await throttle.begin([user]), 0, 'a quiet day later, the count starts over');
    await throttle.succeed([user.key]);
    for (let i = 0; i < 2; i++) await throttle.fail([user]);
    t.equal(await throttle.retryAfterMs([user.key]), 0, 'a success starts the count over');
  });

  t.test('concurrent attempts through both views: only the limit gets through', async (t) => {
    const { a, b } = await setup(t);
    const waits = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).throttle.begin([user])));
    t.equal(waits.filter((w) => w === 0).length, 3, 'three attempts begun, on whichever node');
    t.equal(await b.throttle.retryAfterMs([user.key]), 30_000, 'the other node sees the lock');
  });

  t.test('known addresses: remembered, shared, the most recent eight, forgotten on demand or after 30 days', async (t) => {
    const { clock, a, b } = await setup(t);
    t.notOk(await a.known.has('bob', '192.0.2.1'));
    await a.known.remember('bob', '192.0.2.1');
    t.ok(await b.known.has('bob', '192.0.2.1'), 'seen through the other view');
    t.notOk(await b.known.has('alice', '192.0.2.1'), 'per user name');
    for (let i = 2; i <= 9; i++) {
      clock.advance(1000);
      await b.known.remember('bob', `192.0.2.${i}`);
    }
    t.notOk(await a.known.has('bob', '192.0.2.1'), 'the oldest of nine is dropped');
    t.ok(await a.known.has('bob', '192.0.2.9'));
    t.ok(await a.known.has('bob', '192.0.2.2'));
    clock.advance(30 * 24 * 60 * 60_000);
    t.notOk(await a.known.has('bob', '192.0.2.9'), 'after 30 days an address is no longer known');
    await a.known.remember('bob', '192.0.2.9');
    await b.known.forget('bob');
    t.notOk(await a.known.has('bob', '192.0.2.9'), 'forgotten');
  });
}
