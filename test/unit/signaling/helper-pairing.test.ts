import t from 'tap';
import { ManualClock } from '../../../signaling/clock.js';
import { MemoryHelperPairing, PAIRING_BURN_AFTER } from '../../../signaling/helper-pairing.js';

t.test('HelperPairing codes are single use, expire, and one per ticket', async (t) => {
  const clock = new ManualClock(0);
  const pairing = new MemoryHelperPairing(clock, 1000);
  const first = await pairing.issue('ticket-1');
  t.match(first.code, /^\d{6}$/);
  const second = await pairing.issue('ticket-1');
  t.equal(await pairing.redeem(first.code), null, 'a new code replaces the old one');
  t.equal(await pairing.redeem(second.code), 'ticket-1');
  t.equal(await pairing.redeem(second.code), null, 'single use');
  const late = await pairing.issue('ticket-2');
  clock.advance(1000);
  t.equal(await pairing.redeem(late.code), null, 'expired');
  const revoked = await pairing.issue('ticket-3');
  await pairing.revoke('ticket-3');
  t.equal(await pairing.redeem(revoked.code), null, 'revoked with the session');
});

t.test('wrong codes from anywhere burn the codes that were live for PAIRING_BURN_AFTER of them; newer codes keep their budget', async (t) => {
  const clock = new ManualClock(0);
  const pairing = new MemoryHelperPairing(clock, 60_000);
  const old = await pairing.issue('ticket-old');
  for (let i = 0; i < PAIRING_BURN_AFTER - 2; i++) t.same(await pairing.recordFailure(), []);
  const fresh = await pairing.issue('ticket-new');
  t.same(await pairing.recordFailure(), [], 'one short');
  t.same(await pairing.recordFailure(), ['ticket-old'], 'the fifth wrong code burns the code that saw all five');
  t.equal(await pairing.redeem(old.code), null, 'burned: it no longer pairs');
  t.same(await pairing.recordFailure(), []);
  t.same(await pairing.recordFailure(), []);
  t.same(await pairing.recordFailure(), ['ticket-new'], 'the newer code had its own five');
  t.equal(await pairing.redeem(fresh.code), null);
  const expired = await pairing.issue('ticket-late');
  clock.advance(60_000);
  for (let i = 0; i < PAIRING_BURN_AFTER - 1; i++) await pairing.recordFailure();
  t.same(await pairing.recordFailure(), [], 'an expired code is dropped, not reported');
  t.equal(await pairing.redeem(expired.code), null);
});
