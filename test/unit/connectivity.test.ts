import t from 'tap';
import { isConnected, isInterrupted } from '../../web/shared/connectivity.js';

// When a running transfer and the session log say the connection is interrupted.

t.test('isInterrupted(): which ICE states count as a path that stopped answering', async (t) => {
  // [ICE state, the path worked before, interrupted?, why]
  const cases: Array<[string, boolean, boolean, string]> = [
    ['new', false, false, 'not yet connected'],
    ['checking', false, false, 'first connection under way'],
    ['connected', true, false, 'connected'],
    ['completed', true, false, 'completed'],
    ['disconnected', true, true, 'the other side stopped answering'],
    ['checking', true, true, 'checking new paths after an ICE restart'],
    ['failed', true, true, 'failed'],
    ['closed', true, false, 'closed on purpose'],
  ];
  for (const [iceConnectionState, wasConnected, expected, why] of cases) t.equal(isInterrupted({ iceConnectionState }, wasConnected), expected, why);
});

t.test('isConnected(): connected and completed are working paths, nothing else', async (t) => {
  const states = ['new', 'checking', 'connected', 'completed', 'disconnected', 'failed', 'closed'];
  t.same(states.filter((iceConnectionState) => isConnected({ iceConnectionState })), ['connected', 'completed']);
});
