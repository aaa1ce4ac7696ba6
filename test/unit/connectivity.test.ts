import t from 'tap';
import { isConnected, isInterrupted } from '../../web/shared/connectivity.js';

// When a running transfer and the session log say the connection is interrupted.

t.test('isInterrupted(): which ICE states count as a path that stopped answering', async (t) => {
  const at = (iceConnectionState: string, wasConnected = true) => isInterrupted({ iceConnectionState }, wasConnected);
  t.notOk(at('new', false), 'not yet connected');
  t.notOk(at('checking', false), 'first connection under way');
  t.notOk(at('connected'), 'connected');
  t.notOk(at('completed'), 'completed');
  t.ok(at('disconnected'), 'the other side stopped answering');
  t.ok(at('checking'), 'checking new paths after an ICE restart');
  t.ok(at('failed'), 'failed');
  t.notOk(at('closed'), 'closed on purpose');
});

t.test('isConnected(): connected and completed are working paths, nothing else', async (t) => {
  t.same(['new', 'checking', 'connected', 'completed', 'disconnected', 'failed', 'closed'].filter((s) => isConnected({ iceConnectionState: s })), ['connected', 'completed']);
});
