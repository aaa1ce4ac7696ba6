import t from 'tap';
import { loadConfig, parseQueues } from '../../../signaling/config.js';

t.test('loadConfig() has working defaults and refuses bad values with a clear message', async (t) => {
  const config = loadConfig({});
  t.equal(config.port, 8080);
  t.equal(config.host, '127.0.0.1');
  t.same(config.queues.map((q) => q.id), ['general', 'printers']);
  t.ok(config.demoPasswordGenerated);
  t.ok(config.analysts[0].password.length >= 12);
  t.equal(loadConfig({ DEMO_PASSWORD: 'x' }).demoPasswordGenerated, false);
  t.throws(() => loadConfig({ PORT: 'eighty' }), { name: 'ConfigError', message: /PORT must be a whole number/ });
  t.throws(() => loadConfig({ TRUST_PROXY: 'true' }), { name: 'ConfigError', message: /Set the addresses of the proxies/ }, 'TRUST_PROXY=true: any client could choose its address');
  t.throws(() => loadConfig({ TRUST_PROXY: '1' }), { name: 'ConfigError', message: /a hop count cannot tell a proxy from a client/ }, 'a hop count: Fastify would believe nothing');
  t.same(loadConfig({ TRUST_PROXY: '127.0.0.1,10.0.0.0/8' }).trustProxy, ['127.0.0.1', '10.0.0.0/8']);
  t.throws(() => parseQueues('Bad Id:Name'), /lowercase/);
  t.throws(() => loadConfig({ QUEUE_HOURS: 'sales=Mon 08:00-18:00' }), { name: 'ConfigError', message: /QUEUE_HOURS: "sales=Mon 08:00-18:00" must start with one of the queue ids/ });
  t.throws(() => loadConfig({ QUEUE_TIMEZONE: 'Paris' }), { name: 'ConfigError', message: /QUEUE_TIMEZONE: "Paris" is not a time zone/ });
  const hours = loadConfig({ QUEUE_HOURS: 'printers=Mon-Fri 08:00-18:00', QUEUE_TIMEZONE: 'Europe/Paris' });
  t.equal(hours.queueTimeZone, 'Europe/Paris');
  t.same([...hours.queueHours.keys()], ['printers'], 'only the queues named have hours');
  t.same(parseQueues('a:Alpha, b'), [{ id: 'a', name: 'Alpha' }, { id: 'b', name: 'b' }]);
});
