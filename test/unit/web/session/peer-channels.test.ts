import t from 'tap';
import { FILE_HIGH_WATER, FILE_LOW_WATER, INPUT_ACTIVE_MS, INPUT_FILE_BYTES_PER_S, PeerChannels } from '../../../../web/session/peer-channels.js';
import { FakePeerConnection } from '../../../fakes/webrtc.js';

/** PeerChannels on a fake connection whose channels are open, as the analyst's page has them. */
function analystChannels() {
  const pc = new FakePeerConnection();
  const channels = new PeerChannels(pc as unknown as ConstructorParameters<typeof PeerChannels>[0], 'customer');
  for (const label of ['control', 'file', 'input']) pc.channel(label).open();
  return { pc, channels };
}

t.test('control messages are checked against the schema and the sender\'s role before anyone hears them', async (t) => {
  const { pc, channels } = analystChannels();
  const heard: string[] = [];
  channels.onControl((message) => heard.push(message.type));
  const control = pc.channel('control');
  control.receive(JSON.stringify({ type: 'chat', id: 'm1', text: 'hello', sentAt: 1 }));
  control.receive('{not json');
  control.receive(JSON.stringify({ type: 'chat', id: 'm2', text: '', sentAt: 1 }));
  control.receive(JSON.stringify({ type: 'url.push', id: 'u1', url: 'https://example.com/' })); // only an analyst may push
  t.same(heard, ['chat']);
  t.equal(channels.rejected, 3, 'three dropped and counted');
});

t.test('a listener that throws does not keep the others from a message', async (t) => {
  const { pc, channels } = analystChannels();
  const errors: unknown[] = [];
  const original = console.error;
  console.error = (err: unknown) => errors.push(err);
  t.teardown(() => (console.error = original));
  let second = 0;
  channels.onControl(() => {
    throw new Error('a broken panel');
  });
  channels.onControl(() => (second += 1));
  pc.channel('control').receive(JSON.stringify({ type: 'chat', id: 'm1', text: 'hi', sentAt: 1 }));
  t.equal(second, 1);
  t.equal(errors.length, 1, 'the error is reported');
});

t.test('fileDrained() waits for the low-water mark and leaves no listener behind, however many pauses', async (t) => {
  const { pc, channels } = analystChannels();
  const file = pc.channel('file');
  channels.beginFile(1);
  for (let pause = 0; pause < 200; pause++) {
    file.bufferedAmount = FILE_HIGH_WATER + 1;
    let drained = false;
    const waiting = channels.fileDrained().then(() => (drained = true));
    await Promise.resolve();
    t.equal(drained, false, 'still waiting above the high-water mark') || t.end();
    file.drainTo(FILE_LOW_WATER);
    await waiting;
  }
  const events = (channels as unknown as { events: { listenerCount(event: string): number } }).events;
  t.equal(events.listenerCount('close'), 0, 'no close listener left by 200 pauses (one leaked per pause before)');
});

t.test('onClose() fires once when the channels close, at once for a late listener, and a pending drain fails', async (t) => {
  const { pc, channels } = analystChannels();
  let closes = 0;
  channels.onClose(() => (closes += 1));
  channels.beginFile(1);
  pc.channel('file').bufferedAmount = FILE_HIGH_WATER + 1;
  const waiting = channels.fileDrained();
  pc.channel('control').close();
  pc.channel('file').close();
  await t.rejects(waiting, /closed/);
  t.equal(closes, 1);
  let late = 0;
  channels.onClose(() => (late += 1));
  t.equal(late, 1, 'a listener added after the close is called at once');
});

t.test('the path state of the session connection is reported to listeners as it changes', async (t) => {
  const { pc, channels } = analystChannels();
  let calls = 0;
  const off = channels.onConnectivity(() => (calls += 1));
  pc.setIceState('connected');
  t.equal(channels.interrupted, false);
  pc.setIceState('disconnected');
  t.equal(channels.interrupted, true, 'interrupted');
  pc.setIceState('connected');
  t.equal(channels.interrupted, false, 'back');
  off();
  pc.setIceState('disconnected');
  t.equal(calls, 3, 'an unsubscribed listener hears nothing');
});

t.test('while remote-control input flows, file chunks keep to the input-first pace; without input, none', async (t) => {
  const { pc, channels } = analystChannels();
  channels.beginFile(1);
  const chunk = new Uint8Array(128 * 1024);
  const paced = async (count: number) => {
    const started = performance.now();
    for (let i = 0; i < count; i++) {
      await channels.fileDrained();
      channels.sendChunk(chunk);
    }
    return performance.now() - started;
  };
  t.ok((await paced(8)) < 30, 'no input: the chunks go at once');
  t.equal(channels.sendInput({ k: 'move', x: 0.5, y: 0.5, ts: 1 }), true, 'an input event goes out');
  t.equal(channels.inputFlowing(), true);
  const expected = ((8 * chunk.byteLength) / INPUT_FILE_BYTES_PER_S) * 1000;
  const took = await paced(9); // the first goes at once, the next eight each wait their share
  t.ok(took >= expected * 0.9, `8 chunks paced over ${Math.round(took)} ms (≥ ${Math.round(expected)} at the pace)`);
  t.equal(channels.inputFlowing(performance.now() + INPUT_ACTIVE_MS), false, 'the pace ends INPUT_ACTIVE_MS after the last event');
  t.equal(pc.channel('file').sent.length, 1 + 8 + 9, 'every chunk sent');
});
