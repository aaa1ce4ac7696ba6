import t from 'tap';
import { ModifierGate } from '../../../../web/analyst/modifier-gate.js';

function setup() {
  const sent: string[] = [];
  const gate = new ModifierGate((code, down) => sent.push(`${down ? '+' : '-'}${code}`));
  return { sent, gate };
}

t.test('Shift then a letter: the Shift goes first, then the letter, as pressed', async (t) => {
  const { sent, gate } = setup();
  gate.keyDown('ShiftLeft', false);
  t.same(sent, [], 'held back');
  gate.keyDown('KeyA', false);
  gate.keyUp('KeyA');
  gate.keyUp('ShiftLeft');
  t.same(sent, ['+ShiftLeft', '+KeyA', '-KeyA', '-ShiftLeft']);
});

t.test('a console shortcut takes its modifiers with it: nothing of Alt+Shift+R reaches the customer', async (t) => {
  const { sent, gate } = setup();
  gate.keyDown('AltLeft', false);
  gate.keyDown('ShiftLeft', false);
  gate.keyDown('KeyR', true);
  gate.keyUp('KeyR');
  gate.keyUp('ShiftLeft');
  gate.keyUp('AltLeft');
  t.same(sent, []);
  gate.keyDown('KeyB', false);
  t.same(sent, ['+KeyB'], 'keys after it go on as usual');
});

t.test('a modifier let go alone is sent as a press and a release (Alt alone opens a menu); a click flushes held ones', async (t) => {
  const { sent, gate } = setup();
  gate.keyDown('AltLeft', false);
  gate.keyDown('AltLeft', false);
  gate.keyUp('AltLeft');
  t.same(sent, ['+AltLeft', '-AltLeft'], 'a repeat is one press');
  sent.length = 0;
  gate.keyDown('ControlLeft', false);
  gate.flush();
  gate.keyUp('ControlLeft');
  t.same(sent, ['+ControlLeft', '-ControlLeft'], 'Ctrl+click: the Ctrl is down before the click');
});
