import t from 'tap';
import { LocalKeys, OWN_KEY_WINDOW_MS, rawKeyPresses } from '../../../helper/local-keys.js';

t.test("the helper's own key presses are told from the customer's", async (t) => {
  let now = 0;
  const keys = new LocalKeys(() => now);
  keys.injected(1);
  now += 5;
  t.equal(keys.rawPress(), false, 'the press it just made');
  t.equal(keys.rawPress(), true, 'one more press: the customer');
  keys.injected(3); // a combination
  t.same([keys.rawPress(), keys.rawPress(), keys.rawPress(), keys.rawPress()], [false, false, false, true]);
  keys.injected(1);
  now += OWN_KEY_WINDOW_MS;
  t.equal(keys.rawPress(), true, 'too late to be ours');
  t.equal(keys.rawPress(), true, 'and the stale count is dropped');
});

t.test("raw key presses are read from xinput's output, across chunk boundaries", async (t) => {
  const first = rawKeyPresses('EVENT type 13 (RawKeyPress)\n    device: 3 (5)\nEVENT type 2 (KeyPress)\nEVENT type 14 (RawKeyRelease)\nEVENT type 13 (RawKe');
  t.equal(first.presses, 1);
  const second = rawKeyPresses(`${first.rest}yPress)\n    detail: 38\n`);
  t.equal(second.presses, 1, 'the split line is counted once it is whole');
  t.equal(second.rest, '');
});
