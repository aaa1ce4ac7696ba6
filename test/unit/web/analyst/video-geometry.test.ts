import t from 'tap';
import { normalisedPoint, wheelSteps } from '../../../../web/analyst/video-geometry.js';

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
