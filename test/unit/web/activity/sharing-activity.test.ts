import t from 'tap';
import { logSharing, type SharingSource } from '../../../../web/activity/sharing-activity.js';
import type { SessionTools } from '../../../../web/activity/session-tools.js';
import { Emitter } from '../../../../web/emitter.js';

const recorder = () => {
  const logged: string[] = [];
  const tools = { addEvent: (key: string, params: { name: string }) => logged.push(`${key.replace('tools.event.sharing.', '')} ${params.name}`) } as unknown as SessionTools;
  return { logged, tools };
};

class Source implements SharingSource {
  isSharing = false;
  readonly events = new Emitter<{ sharing: [boolean] }>();
  on(event: 'sharing', listener: (sharing: boolean) => void) {
    return this.events.on(event, listener);
  }
}

t.test("each page's log uses its own entries, names the other person, and stops when unsubscribed", async (t) => {
  const { logged, tools } = recorder();
  const source = new Source();
  const off = logSharing(source, tools, 'customer', 'Alice');
  source.events.emit('sharing', true);
  source.events.emit('sharing', false);
  off();
  source.events.emit('sharing', true);
  t.same(logged, ['started.customer Alice', 'stopped.customer Alice']);
  const analyst = recorder();
  source.isSharing = true;
  logSharing(source, analyst.tools, 'analyst', 'Ann');
  t.same(analyst.logged, ['started.analyst Ann'], 'late: the share already running is logged first');
});
