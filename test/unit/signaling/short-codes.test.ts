import t from 'tap';
import { ManualClock } from '../../../signaling/clock.js';
import { MemoryShortCodes, PHONE_CODES } from '../../../signaling/short-codes.js';
import { codeDigits, spacedCode } from '../../../web/phone-code.js';

t.test('phone codes: live until used, replaced, expired or burned; a new code has a budget of its own', async (t) => {
  const clock = new ManualClock(0);
  const codes = new MemoryShortCodes(clock, PHONE_CODES);
  const first = await codes.issue('t1');
  t.equal(first.expiresAt, PHONE_CODES.ttlMs);
  t.equal(await codes.isLive(first.code, 't1'), true);
  t.equal(await codes.isLive(first.code, 't2'), false, 'live for its own ticket only');
  const second = await codes.issue('t1');
  t.equal(await codes.isLive(first.code, 't1'), false, 'replaced');
  for (let i = 0; i < PHONE_CODES.burnAfter - 1; i++) t.same(await codes.recordFailure(), []);
  const later = await codes.issue('t2');
  t.same(await codes.recordFailure(), ['t1'], `burned at the ${PHONE_CODES.burnAfter}th wrong code since its issue`);
  t.equal(await codes.redeem(second.code), null);
  t.equal(await codes.isLive(later.code, 't2'), true, 'the newer code keeps its own count');
  clock.advance(PHONE_CODES.ttlMs);
  t.equal(await codes.isLive(later.code, 't2'), false, 'expired');
  t.same(await codes.recordFailure(), [], 'an expired code is dropped quietly, not reported burned');
  t.equal(await codes.redeem(later.code), null);
});

t.test('the digits a customer types as they were read, and the code as the analyst reads it', async (t) => {
  t.equal(codeDigits('123 456'), '123456');
  t.equal(codeDigits(' 123-456 '), '123456');
  t.equal(codeDigits('12.34.56'), '123456');
  t.equal(codeDigits('12a456'), '12a456', 'anything else stays, and is refused as not 6 digits');
  t.equal(spacedCode('042917'), '042 917');
});
