import t from 'tap';
import { HashGate } from '../../../../signaling/auth/hash-gate.js';

t.test('at most `concurrent` hashes run, `queued` wait, the rest are refused at once', async (t) => {
  const gate = new HashGate(2, 3);
  let running = 0;
  let peak = 0;
  const releases: Array<() => void> = [];
  const work = () =>
    new Promise<string>((resolve) => {
      running += 1;
      peak = Math.max(peak, running);
      releases.push(() => {
        running -= 1;
        resolve('done');
      });
    });
  const results = Array.from({ length: 8 }, () => gate.run(work));
  await new Promise((resolve) => setImmediate(resolve));
  t.same(gate.busy, { running: 2, waiting: 3 });
  const refused = await Promise.all(results.slice(5));
  t.same(refused, [null, null, null], 'three refused without running');
  while (releases.length) {
    releases.shift()!();
    await new Promise((resolve) => setImmediate(resolve));
  }
  t.same(await Promise.all(results.slice(0, 5)), ['done', 'done', 'done', 'done', 'done']);
  t.equal(peak, 2, 'never more than two at once');
  t.same(gate.busy, { running: 0, waiting: 0 });
});
