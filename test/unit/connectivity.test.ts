import t from 'tap';
import { isInterrupted } from '../../web/shared/connectivity.js';

// When a running transfer and the session log say the connection is interrupted.

t.test('isInterrupted(): which ICE and connection states count as a path that stopped answering', async (t) => {
  const at = (iceConnectionState: string, connectionState: string) => isInterrupted({ iceConnectionState, connectionState });
  t.notOk(at('new', 'new'), 'not yet connected');
  t.notOk(at('checking', 'connecting'), 'first connection under way');
  t.notOk(at('connected', 'connected'), 'connected');
  t.notOk(at('completed', 'connected'), 'completed');
  t.ok(at('disconnected', 'disconnected'), 'the other side stopped answering');
  t.ok(at('checking', 'connected'), 'checking new paths after an ICE restart');
  t.ok(at('failed', 'failed'), 'failed');
  t.notOk(at('closed', 'closed'), 'closed on purpose');
});
