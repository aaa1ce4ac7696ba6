import t from 'tap';
import { checkContact, checkEmail, checkName, checkPhone } from '../../protocol/index.js';
import { loadConfig, parseQueues } from '../../signaling/config.js';

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

t.test('loadConfig() has working defaults and refuses bad values with a clear message', async (t) => {
  const config = loadConfig({});
  t.equal(config.port, 8080);
  t.equal(config.host, '127.0.0.1');
  t.same(config.queues.map((q) => q.id), ['general', 'printers']);
  t.ok(config.demoPasswordGenerated);
  t.ok(config.analysts[0].password.length >= 12);
  t.equal(loadConfig({ DEMO_PASSWORD: 'x' }).demoPasswordGenerated, false);
  t.throws(() => loadConfig({ PORT: 'eighty' }), { name: 'ConfigError', message: /PORT must be a whole number/ });
  t.throws(() => parseQueues('Bad Id:Name'), /lowercase/);
  t.same(parseQueues('a:Alpha, b'), [{ id: 'a', name: 'Alpha' }, { id: 'b', name: 'b' }]);
});
