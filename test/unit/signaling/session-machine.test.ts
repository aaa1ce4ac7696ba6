import t from 'tap';
import { isInSession, mayRelaySignals, nextState, type SessionEvent } from '../../../signaling/session-machine.js';
import type { SessionState } from '../../../protocol/index.js';

t.test('nextState() follows the written-out session life', async (t) => {
  t.equal(nextState('waiting', 'take'), 'offered');
  t.equal(nextState('offered', 'allow'), 'consented');
  t.equal(nextState('offered', 'refuse'), 'ended');
  t.equal(nextState('consented', 'shareStart'), 'live');
  t.equal(nextState('live', 'shareStop'), 'consented');
  for (const state of ['waiting', 'offered', 'consented', 'live'] as SessionState[]) t.equal(nextState(state, 'end'), 'ended', `${state} can end`);
});

t.test('nextState() refuses every event the machine does not allow', async (t) => {
  const refused: [SessionState, SessionEvent][] = [
    ['waiting', 'allow'], ['waiting', 'shareStart'], ['offered', 'take'], ['offered', 'shareStart'],
    ['consented', 'allow'], ['consented', 'take'], ['live', 'shareStart'], ['live', 'take'],
    ['ended', 'end'], ['ended', 'take'], ['ended', 'allow'],
  ];
  for (const [state, event] of refused) t.equal(nextState(state, event), null, `${event} in ${state}`);
});

t.test('signals may flow only after consent', async (t) => {
  t.notOk(mayRelaySignals('waiting'));
  t.notOk(mayRelaySignals('offered'));
  t.ok(mayRelaySignals('consented'));
  t.ok(mayRelaySignals('live'));
  t.notOk(mayRelaySignals('ended'));
  t.ok(isInSession('offered'));
  t.notOk(isInSession('waiting'));
});
