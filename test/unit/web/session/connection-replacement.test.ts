import t from 'tap';
import { analystSignalFate, replacementDelay } from '../../../../web/session/connection-replacement.js';

t.test("the analyst's page answers the customer's newest link and drops leftovers of older ones", async (t) => {
  t.equal(analystSignalFate(null, 0), 'replace', 'no link yet: the first offer makes one');
  t.equal(analystSignalFate(null, 3), 'replace', 'no link yet, whatever its number');
  t.equal(analystSignalFate({ number: 0, isClosed: false }, 0), 'deliver', 'the current link');
  t.equal(analystSignalFate({ number: 0, isClosed: false }, 1), 'replace', 'a new link while the old one still looks up on this side');
  t.equal(analystSignalFate({ number: 1, isClosed: true }, 2), 'replace', 'a new link after this side saw the old one fail');
  t.equal(analystSignalFate({ number: 2, isClosed: false }, 1), 'ignore', 'a late candidate of an older link');
  t.equal(analystSignalFate({ number: 2, isClosed: true }, 2), 'ignore', 'an ICE restart of a link this side already closed');
});

t.test('attempts wait longer and longer, up to 30 s, each with jitter (the same backoff as signaling)', async (t) => {
  const top = () => 1;
  const bottom = () => 0;
  t.same([0, 1, 2, 3, 4, 5, 6].map((attempt) => replacementDelay(attempt, top)), [1000, 2000, 4000, 8000, 16_000, 30_000, 30_000]);
  t.same([0, 1, 5].map((attempt) => replacementDelay(attempt, bottom)), [500, 1000, 15_000], 'at least half of each step');
  t.equal(replacementDelay(-1, top), 1000, 'a negative attempt counts as the first');
  const spread = new Set(Array.from({ length: 50 }, () => replacementDelay(2)));
  t.ok(spread.size > 10, `two pages do not retry in step (${spread.size} different waits of 50)`);
});
