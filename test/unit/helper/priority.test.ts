import t from 'tap';
import { CustomerPriority } from '../../../helper/priority.js';
import { ManualClock } from '../../../signaling/clock.js';

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
