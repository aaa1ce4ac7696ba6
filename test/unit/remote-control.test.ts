import t from 'tap';
import { ManualClock } from '../../signaling/clock.js';
import { MemoryHelperPairing } from '../../signaling/helper-pairing.js';
import { COMBO_KEYS, keyName } from '../../helper/keymap.js';
import { CustomerPriority } from '../../helper/priority.js';
import { normalisedPoint, wheelSteps } from '../../web/analyst/video-geometry.js';

t.test('keyName() maps physical key codes to injectable keys and refuses the rest', async (t) => {
  t.equal(keyName('KeyA'), 'a');
  t.equal(keyName('Digit7'), '7');
  t.equal(keyName('Enter'), 'enter');
  t.equal(keyName('ShiftLeft'), 'shift');
  t.equal(keyName('F12'), 'f12');
  t.equal(keyName('Numpad5'), 'numpad_5');
  t.equal(keyName('Slash'), '/');
  t.equal(keyName('F25'), null);
  t.equal(keyName('LaunchMail'), null);
  t.same(COMBO_KEYS.ctrlAltDelete, ['control', 'alt', 'delete']);
});

t.test('CustomerPriority suspends remote input when the pointer is not where the helper left it', async (t) => {
  const clock = new ManualClock(0);
  const priority = new CustomerPriority(() => clock.now(), 1500, 2);
  t.notOk(priority.observe({ x: 5, y: 5 }), 'nothing injected yet: nothing to compare');
  priority.injectedAt({ x: 100, y: 100 });
  t.notOk(priority.observe({ x: 101, y: 99 }), 'within tolerance');
  t.notOk(priority.suspended);
  t.ok(priority.observe({ x: 300, y: 100 }), 'the customer moved the mouse');
  t.ok(priority.suspended);
  clock.advance(1000);
  t.notOk(priority.observe({ x: 300, y: 100 }), 'still where the customer left it');
  t.ok(priority.suspended);
  clock.advance(500);
  t.notOk(priority.suspended, 'resumes 1.5 s after the last local movement');
});

t.test('normalisedPoint() removes letterboxing and refuses the bars', async (t) => {
  const box = { left: 0, top: 0, width: 1000, height: 500 };
  const picture = { width: 800, height: 800 }; // shown 500×500, centred: bars 250 px each side
  t.same(normalisedPoint({ x: 250, y: 0 }, box, picture), { x: 0, y: 0 });
  t.same(normalisedPoint({ x: 500, y: 250 }, box, picture), { x: 0.5, y: 0.5 });
  t.same(normalisedPoint({ x: 750, y: 500 }, box, picture), { x: 1, y: 1 });
  t.equal(normalisedPoint({ x: 100, y: 250 }, box, picture), null, 'in the bar');
  t.equal(normalisedPoint({ x: 1, y: 1 }, box, { width: 0, height: 0 }), null, 'no picture yet');
  t.equal(wheelSteps(-240, 0), -2);
  t.equal(wheelSteps(3, 0), 1, 'a small scroll is still one notch');
  t.equal(wheelSteps(50, 1), 10, 'capped');
});

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
