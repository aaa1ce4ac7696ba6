import t from 'tap';
import { COMBO_KEYS, keyName } from '../../../helper/keymap.js';

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
