import t from 'tap';
import { ManualClock } from '../../signaling/clock.js';
import { startServer } from '../helpers/server.js';
import { takenSession, TestClient } from '../helpers/ws-client.js';

// Short-lived TURN credentials (TURN_CREDENTIAL_TTL_S): every member of a running session gets new
// ones each third of their life, and a member who reconnects gets fresh ones at once. Time is a
// manual clock; the server's sweep runs every 20 ms.
const clock = new ManualClock();
const server = await startServer(
  { turnSecret: 'refresh-secret', turnUrls: ['turn:turn.example.com:3478?transport=udp'], turnCredentialTtlS: 1800 },
  { clock, sweepIntervalMs: 20 },
);
t.teardown(() => server.close());

const expiryOf = (frame: { iceServers: { username?: string }[] }) => Number(frame.iceServers[0].username?.split(':')[0]);

t.test('both members get fresh credentials every 10 minutes of a 30-minute lifetime, only while the session runs', async (t) => {
  const { analyst, customer, ticket } = await takenSession(server, true);
  const first = { analyst: await analyst.next('session.ice'), customer: await customer.next('session.ice') };
  const start = clock.now() / 1000;
  t.equal(expiryOf(first.customer), start + 1800, 'the first credentials live 30 minutes');

  clock.advance(9 * 60_000);
  t.same(await customer.pending('session.ice'), [], 'none before a third of the lifetime');

  clock.advance(60_000);
  const second = { analyst: await analyst.next('session.ice', 2000), customer: await customer.next('session.ice', 2000) };
  t.equal(expiryOf(second.customer), start + 600 + 1800, 'the customer\'s new ones live 30 minutes from now');
  t.equal(expiryOf(second.analyst), start + 600 + 1800, 'and the analyst\'s');
  t.match(second.analyst.iceServers[0].username, /-analyst$/, 'each member its own credential');

  // Reconnecting (a reload): fresh credentials with the status, not the old ones.
  customer.socket.close(1001);
  clock.advance(5 * 60_000);
  const back = await TestClient.connect(server.wsUrl, { token: ticket.token });
  await back.next('ticket.status');
  t.equal(expiryOf(await back.next('session.ice', 2000)), start + 900 + 1800, 'a reconnected customer gets fresh ones at once');

  analyst.send({ type: 'session.end' });
  await analyst.until('session.state', (f) => f.state === 'ended');
  clock.advance(30 * 60_000);
  t.same(await analyst.pending('session.ice'), [], 'nothing once the session ended');
  await analyst.close();
  await back.close();
});
