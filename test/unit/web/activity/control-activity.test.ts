import t from 'tap';
import { logControlSteps } from '../../../../web/activity/control-activity.js';
import type { SessionTools } from '../../../../web/activity/session-tools.js';
import { RemoteControl } from '../../../../web/customer/remote-control.js';
import { PeerChannels } from '../../../../web/session/peer-channels.js';
import { SignalingClient } from '../../../../web/session/signaling-client.js';
import { FakePeerConnection } from '../../../fakes/webrtc.js';

// The customer's activity log follows remote control from the model, not from a panel on screen.
function customerControl() {
  const pc = new FakePeerConnection();
  const channels = new PeerChannels(pc as never, 'analyst');
  for (const label of ['control', 'file', 'input']) pc.channel(label).open();
  const signaling = new SignalingClient('', { openSocket: () => ({ readyState: 0, send: () => undefined, close: () => undefined, onopen: null, onmessage: null, onclose: null }) });
  const control = new RemoteControl(channels, signaling);
  const logged: string[] = [];
  const tools = { addEvent: (key: string) => logged.push(key.replace('tools.event.control.', '')) } as unknown as SessionTools;
  const off = logControlSteps(control, tools, 'Alice');
  const ask = () => pc.channel('control').receive(JSON.stringify({ type: 'control.request' }));
  return { control, logged, off, ask };
}

t.test('asked, granted, stopped; asked, refused: every step is logged once, in order', async (t) => {
  const { control, logged, off, ask } = customerControl();
  ask();
  ask(); // asked again while asked: not a new step
  control.allow();
  control.stop();
  ask();
  control.refuse();
  t.same(logged, ['asked', 'granted', 'stopped', 'asked', 'refused']);
  off();
  ask();
  t.same(logged.length, 5, 'nothing once unsubscribed');
});
