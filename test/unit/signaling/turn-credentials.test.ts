import { createHmac } from 'node:crypto';
import t from 'tap';
import { ManualClock } from '../../../signaling/clock.js';
import { issueTurnCredentials, RestTurnIssuer } from '../../../signaling/turn-credentials.js';

t.test('issueTurnCredentials() follows coturn\'s REST scheme: "<expiry>:<id>" and base64 HMAC-SHA1', async (t) => {
  const { username, credential } = issueTurnCredentials('secret', 'abc', 1_700_000_600);
  t.equal(username, '1700000600:abc');
  t.equal(credential, createHmac('sha1', 'secret').update('1700000600:abc').digest('base64'));
  t.equal(Buffer.from(credential, 'base64').length, 20);
});

t.test('RestTurnIssuer expires credentials TURN_CREDENTIAL_TTL_S after issue, lists turns: first, never the secret', async (t) => {
  const clock = new ManualClock(1_700_000_000_000);
  const issuer = new RestTurnIssuer(
    { turnSecret: 's3cret', turnUrls: ['turns:turn.example.com:443?transport=tcp', 'turn:turn.example.com:3478?transport=udp'], stunUrls: ['stun:turn.example.com:3478'], turnCredentialTtlS: 3600, iceTransportPolicy: 'all' },
    clock,
  );
  const ice = issuer.issue('member');
  t.equal(ice.iceServers[0].username, '1700003600:member');
  t.match(ice.iceServers[0].urls[0], /^turns:.*:443\?transport=tcp$/);
  t.same(ice.iceServers[1], { urls: ['stun:turn.example.com:3478'] });
  t.notOk(JSON.stringify(ice).includes('s3cret'));
  t.equal(issuer.refreshAfterMs, 1_200_000, 'members get fresh credentials after a third of their hour');
});

t.test('without a TURN secret no TURN server is handed out', async (t) => {
  const issuer = new RestTurnIssuer({ turnSecret: '', turnUrls: [], stunUrls: [], turnCredentialTtlS: 60, iceTransportPolicy: 'all' }, new ManualClock());
  t.same(issuer.issue('x'), { iceServers: [], iceTransportPolicy: 'all' });
  t.equal(issuer.refreshAfterMs, null, 'nothing to refresh');
});
