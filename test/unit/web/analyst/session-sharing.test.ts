import t from 'tap';
import { logSharing } from '../../../../web/activity/sharing-activity.js';
import type { SessionTools } from '../../../../web/activity/session-tools.js';
import { SessionSharing } from '../../../../web/analyst/session-sharing.js';

const recorder = () => {
  const logged: string[] = [];
  const tools = { addEvent: (key: string, params: { name: string }) => logged.push(`${key.replace('tools.event.sharing.', '')} ${params.name}`) } as unknown as SessionTools;
  return { logged, tools };
};

t.test("the analyst's log follows the session's state: live is shared, consented is not, a repeat is nothing", async (t) => {
  const sharing = new SessionSharing();
  const { logged, tools } = recorder();
  const off = logSharing(sharing, tools, 'analyst', 'Ann');
  sharing.onState('s1', 'offered');
  sharing.onState('s1', 'consented');
  sharing.onState('s1', 'live');
  sharing.onState('s1', 'live'); // the same state after a reconnection
  sharing.onState('s1', 'consented');
  sharing.onState('s1', 'live');
  sharing.onState('s1', 'ended');
  t.same(logged, ['started.analyst Ann', 'stopped.analyst Ann', 'started.analyst Ann'], 'the end has its own entry');
  t.equal(sharing.isSharing, false);
  sharing.onState('s2', 'consented');
  t.equal(logged.length, 3, 'a new session that is not shared yet says nothing');
  off();
  sharing.onState('s2', 'live');
  t.equal(logged.length, 3, 'nothing once unsubscribed');
});

t.test('a log that starts listening while the customer already shares says so first, once', async (t) => {
  const sharing = new SessionSharing();
  sharing.onState('s1', 'live');
  const { logged, tools } = recorder();
  logSharing(sharing, tools, 'analyst', 'Ann');
  sharing.onState('s1', 'live');
  t.same(logged, ['started.analyst Ann']);
});

