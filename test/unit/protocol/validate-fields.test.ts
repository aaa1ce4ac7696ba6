import t from 'tap';
import { checkContact, checkEmail, checkName, checkPhone } from '../../../protocol/index.js';

t.test('contact checks accept real-world values and name the first problem', async (t) => {
  t.equal(checkContact({ name: 'Zoë Dupont', email: 'zoe.dupont+x@example.fr', phone: '+33 (0)1 23-45-67-89' }), null);
  t.equal(checkName('   '), 'ticket.invalidName');
  t.equal(checkName('x'.repeat(101)), 'ticket.invalidName');
  t.equal(checkEmail('no-at-sign.example.com'), 'ticket.invalidEmail');
  t.equal(checkEmail('a@b'), 'ticket.invalidEmail');
  t.equal(checkPhone('12345'), 'ticket.invalidPhone', 'too few digits');
  t.equal(checkPhone('call me'), 'ticket.invalidPhone');
  t.equal(checkContact({ name: '', email: 'bad', phone: 'bad' }), 'ticket.invalidName');
});
