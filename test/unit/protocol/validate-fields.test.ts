import t from 'tap';
import { checkContact, checkEmail, checkName, checkPhone, checkProblem, checkRatingComment, checkReachable } from '../../../protocol/index.js';

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

t.test('checkContact() wants an email or a phone, one is enough; a blank one is not checked, a filled one must be valid', async (t) => {
  t.equal(checkContact({ name: 'Ann', email: 'ann@example.com' }), null, 'email alone');
  t.equal(checkContact({ name: 'Ann', phone: '+33 6 12 34 56 78' }), null, 'phone alone');
  t.equal(checkContact({ name: 'Ann', email: ' ', phone: '' }), 'ticket.contactNeeded', 'both blank');
  t.equal(checkContact({ name: 'Ann' }), 'ticket.contactNeeded', 'neither given');
  t.equal(checkContact({ name: 'Ann', email: 'ann@example.com', phone: '12' }), 'ticket.invalidPhone', 'a phone given must be valid, even with an email');
  t.equal(checkReachable({ email: 'nope', phone: '+33 6 12 34 56 78' }), 'ticket.invalidEmail');
  t.equal(checkProblem('x'.repeat(500)), null, '500 characters');
  t.equal(checkProblem(`  ${'x'.repeat(500)}  `), null, 'measured trimmed');
  t.equal(checkProblem('x'.repeat(501)), 'ticket.invalidProblem');
  t.equal(checkRatingComment('x'.repeat(501)), 'rating.invalidComment');
});
