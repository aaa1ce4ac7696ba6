import t from 'tap';
import { FlowWindow } from '../../../../web/files/flow-window.js';

const options = { targetMs: 10, minWindow: 100, maxWindow: 10_000, initialWindow: 1000 };

t.test('FlowWindow grows while the queuing delay stays under the target', async (t) => {
  const flow = new FlowWindow(options);
  flow.noteSent(500, 0);
  flow.onAck(500, 2, 500); // base RTT 2 ms, no queue
  t.equal(flow.window, 1500, '+ acked bytes at full headroom');
  flow.noteSent(1000, 10);
  flow.onAck(1000, 17, 500); // 7 ms RTT: 5 ms queue, half the headroom
  t.equal(flow.window, 1750);
});

t.test('FlowWindow shrinks once per round trip when the queue exceeds the target, never below the minimum', async (t) => {
  const flow = new FlowWindow(options);
  flow.noteSent(100, 0);
  flow.onAck(100, 1, 100); // base 1 ms
  const before = flow.window;
  flow.noteSent(200, 10);
  flow.noteSent(300, 11);
  t.equal(flow.onAck(200, 40, 100), 30, 'the RTT sample of the acked chunk');
  t.equal(flow.window, Math.floor(before * 0.8), 'decreased by 20 %');
  flow.onAck(300, 41, 100);
  t.equal(flow.window, Math.floor(before * 0.8), 'not twice in the same round trip');
  for (let i = 0; i < 50; i++) {
    flow.noteSent(1000 + i, 100 * i + 100);
    flow.onAck(1000 + i, 100 * i + 190, 1);
  }
  t.equal(flow.window, options.minWindow);
});

t.test('canSend() keeps unacknowledged bytes under the window; an ack without a matching send gives no sample', async (t) => {
  const flow = new FlowWindow(options);
  t.ok(flow.canSend(999, 0));
  t.notOk(flow.canSend(1000, 0));
  t.ok(flow.canSend(1500, 600));
  t.equal(flow.onAck(5, 1, 5), null);
});

t.test('the default window never shrinks below two acknowledgement intervals (no deadlock)', async (t) => {
  const { ACK_EVERY_BYTES, FLOW_DEFAULTS } = await import('../../../../web/files/flow-window.js');
  t.ok(FLOW_DEFAULTS.minWindow >= 2 * ACK_EVERY_BYTES);
  t.ok(FLOW_DEFAULTS.initialWindow >= FLOW_DEFAULTS.minWindow);
  const flow = new FlowWindow();
  flow.noteSent(1, 0);
  flow.onAck(1, 1, 1);
  for (let i = 0; i < 100; i++) {
    flow.noteSent(10 + i, 1000 * i);
    flow.onAck(10 + i, 1000 * i + 500, 1); // 500 ms round trips: far over the target
  }
  t.equal(flow.window, FLOW_DEFAULTS.minWindow, 'floored at the minimum');
  t.ok(flow.canSend(FLOW_DEFAULTS.minWindow - 1, 0), 'so more than one acknowledgement interval can always be in flight');
});
