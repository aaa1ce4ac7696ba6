import t from 'tap';
import { analystSignalFate, replacementDelay, REPLACEMENT_DELAYS_MS } from '../../../../web/session/connection-replacement.js';

t.test("the analyst's page answers the customer's newest link and drops leftovers of older ones", async (t) => {
  t.equal(analystSignalFate(null, 0), 'replace', 'no link yet: the first offer makes one');
  t.equal(analystSignalFate(null, 3), 'replace', 'no link yet, whatever its number');
  t.equal(analystSignalFate({ number: 0, isClosed: false }, 0), 'deliver', 'the current link');
  t.equal(analystSignalFate({ number: 0, isClosed: false }, 1), 'replace', 'a new link while the old one still looks up on this side');
  t.equal(analystSignalFate({ number: 1, isClosed: true }, 2), 'replace', 'a new link after this side saw the old one fail');
  t.equal(analystSignalFate({ number: 2, isClosed: false }, 1), 'ignore', 'a late candidate of an older link');
  t.equal(analystSignalFate({ number: 2, isClosed: true }, 2), 'ignore', 'an ICE restart of a link this side already closed');
});

t.test('attempts wait longer and longer, then keep the last wait', async (t) => {
  t.same([0, 1, 2, 3, 4, 5].map(replacementDelay), [...REPLACEMENT_DELAYS_MS]);
  t.equal(replacementDelay(50), REPLACEMENT_DELAYS_MS.at(-1));
  t.equal(replacementDelay(-1), REPLACEMENT_DELAYS_MS[0]);
});
