import t from 'tap';
import { shortcutOf, type KeyLike } from '../../../../web/analyst/shortcuts.js';
import { fitScale, keepCentre, stepZoom, videoSize } from '../../../../web/analyst/viewer-zoom.js';

const key = (over: Partial<KeyLike>): KeyLike => ({ key: '', code: '', altKey: false, shiftKey: false, ctrlKey: false, metaKey: false, ...over });
const free = { typing: false, controlling: false };

t.test('Alt+Shift shortcuts by the key\'s place, everywhere; "?", "+" and "-" only when nothing else wants them', async (t) => {
  t.equal(shortcutOf(key({ code: 'KeyT', key: 'T', altKey: true, shiftKey: true }), free), 'takeOldest');
  // On a French (AZERTY) keyboard, Alt+Shift+the key where T is still gives code KeyT, whatever character it makes.
  t.equal(shortcutOf(key({ code: 'KeyR', key: '®', altKey: true, shiftKey: true }), { typing: true, controlling: true }), 'releaseControl', 'while typing or controlling too');
  t.equal(shortcutOf(key({ code: 'KeyE', altKey: true, shiftKey: true, ctrlKey: true }), free), null, 'not with Ctrl');
  t.equal(shortcutOf(key({ code: 'KeyQ', altKey: true, shiftKey: true }), free), null, 'an unknown letter');
  t.equal(shortcutOf(key({ key: '?', code: 'Slash', shiftKey: true }), free), 'help');
  t.equal(shortcutOf(key({ key: '?', code: 'Slash', shiftKey: true }), { typing: true, controlling: false }), null, 'a question mark in a field');
  t.equal(shortcutOf(key({ key: '+' }), { typing: false, controlling: true }), null, 'the customer\'s + while controlling');
  t.equal(shortcutOf(key({ key: '-' }), free), 'zoomOut');
});

t.test('zoom: fit, steps from where the view is, sizes in CSS pixels, the centre kept', async (t) => {
  const picture = { width: 1920, height: 1080 };
  t.equal(fitScale(picture, { width: 960, height: 540 }, 1), 0.5);
  t.same(stepZoom({ mode: 'fit' }, 'in', 0.5), { mode: 'scale', scale: 0.75 }, 'in from fit at 50 %: the next step up');
  t.same(stepZoom({ mode: 'fit' }, 'out', 0.5), { mode: 'scale', scale: 0.25 });
  t.same(stepZoom({ mode: 'scale', scale: 3 }, 'in', 1), { mode: 'scale', scale: 3 }, 'the largest step stays');
  t.same(videoSize({ mode: 'scale', scale: 1 }, picture, 2), { width: 960, height: 540 }, '100 % on a 2× screen: one picture pixel per device pixel');
  t.equal(videoSize({ mode: 'fit' }, picture, 1), null);
  // Centre of an 800×400 view over a 1600×900 picture at (400+400, 200+200) → (800, 400) = (0.5, 0.444); doubled.
  t.same(keepCentre({ scrollLeft: 400, scrollTop: 200, clientWidth: 800, clientHeight: 400 }, { width: 1600, height: 900 }, { width: 3200, height: 1800 }), { left: 1200, top: 600 });
});
