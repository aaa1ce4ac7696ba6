import t from 'tap';
import { ManualClock } from '../../../signaling/clock.js';
import { MemoryHelperPairing } from '../../../signaling/helper-pairing.js';

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
