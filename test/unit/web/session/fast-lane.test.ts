import t from 'tap';
import { AHEAD_MAX, FAST_BUFFER_MAX, FAST_COPY_MAX, parseFastCopy, REPEAT_MS, SequencedLane } from '../../../../web/session/fast-lane.js';
import { PeerChannels } from '../../../../web/session/peer-channels.js';
import { FakePeerConnection } from '../../../fakes/webrtc.js';

class Wire {
  readyState: RTCDataChannelState = 'open';
  bufferedAmount = 0;
  readonly sent: string[] = [];
  send(data: string): void {
    this.sent.push(data);
  }
}

function lanePair() {
  const reliable = new Wire();
  const fast = new Wire();
  const sender = new SequencedLane('c', reliable, fast, () => undefined);
  const heard: unknown[] = [];
  const receiver = new SequencedLane('c', new Wire(), new Wire(), (data) => heard.push(data));
  const deliverFast = (copy: string) => {
    const parsed = parseFastCopy(copy)!;
    receiver.onFast(parsed.seq, parsed.data);
  };
  return { reliable, fast, sender, receiver, heard, deliverFast };
}

/** A small deterministic generator, so a failing case can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

t.test('every message is delivered once and in order, whichever copies are lost, late or reordered', async (t) => {
  for (let seed = 1; seed <= 200; seed++) {
    const next = random(seed);
    const { reliable, fast, sender, receiver, heard, deliverFast } = lanePair();
    const count = 1 + Math.floor(next() * 60);
    for (let i = 0; i < count; i++) sender.send(JSON.stringify({ n: i }));
    // Fast copies: each first copy lost at some rate, then the survivors in a shuffled order,
    // interleaved with the reliable channel's messages (always all of them, always in order).
    const copies = fast.sent.filter(() => next() > 0.3);
    for (let i = copies.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [copies[i], copies[j]] = [copies[j], copies[i]];
    }
    const reliableQueue = [...reliable.sent];
    while (copies.length || reliableQueue.length) {
      if (copies.length && (next() < 0.6 || !reliableQueue.length)) deliverFast(copies.shift()!);
      else receiver.onReliable(reliableQueue.shift());
    }
    const expected = Array.from({ length: count }, (_, i) => JSON.stringify({ n: i }));
    if (!t.same(heard, expected, `seed ${seed}: each of ${count} messages once, in order`)) break;
    sender.close();
  }
});

t.test('a lost reliable message is delivered from its fast copy, and the ones held behind it follow at once', async (t) => {
  const { reliable, fast, sender, receiver, heard, deliverFast } = lanePair();
  for (let i = 0; i < 3; i++) sender.send(`m${i}`);
  // m0's reliable copy is held by a retransmission; m1 and m2 came fast, ahead of it.
  deliverFast(fast.sent[2]);
  deliverFast(fast.sent[1]);
  t.same(heard, [], 'nothing out of order');
  deliverFast(fast.sent[0]);
  t.same(heard, ['m0', 'm1', 'm2']);
  t.equal(receiver.fastFirst, 3);
  for (const data of reliable.sent) receiver.onReliable(data);
  t.same(heard, ['m0', 'm1', 'm2'], 'the late reliable copies are dropped');
  sender.close();
});

t.test('a small message gets two fast copies, REPEAT_MS apart; a large one and a congested fast channel get none', async (t) => {
  const { reliable, fast, sender } = lanePair();
  t.equal(sender.send('ping'), true);
  t.same(fast.sent, ['c0 ping'], 'the first copy at once');
  await new Promise((resolve) => setTimeout(resolve, REPEAT_MS + 30));
  t.same(fast.sent, ['c0 ping', 'c0 ping'], 'the second in another packet');
  sender.send('x'.repeat(FAST_COPY_MAX + 1));
  fast.bufferedAmount = FAST_BUFFER_MAX + 1;
  sender.send('pong');
  await new Promise((resolve) => setTimeout(resolve, REPEAT_MS + 30));
  t.equal(fast.sent.length, 2, 'no copies of a large message, none on a congested fast channel');
  t.equal(reliable.sent.length, 3, 'every message on the reliable channel');
  fast.bufferedAmount = 0;
  sender.send('late');
  sender.close();
  await new Promise((resolve) => setTimeout(resolve, REPEAT_MS + 30));
  t.same(fast.sent.slice(2), ['c3 late'], 'a closed lane sends no pending repeat');
  reliable.readyState = 'closed';
  t.equal(sender.send('gone'), false, 'nothing sent once the reliable channel is closed');
});

t.test('fast copies that are not ones, or far ahead, change nothing', async (t) => {
  for (const bad of ['', 'x1 {}', 'c {}', 'c-1 {}', 'c1{}', 'c1234567890123456 {}', 42, new ArrayBuffer(4)]) t.equal(parseFastCopy(bad), null, `refused: ${String(bad)}`);
  t.same(parseFastCopy('i7 {"a":1}'), { lane: 'i', seq: 7, data: '{"a":1}' });
  const { receiver, heard } = lanePair();
  receiver.onFast(AHEAD_MAX, 'far');
  receiver.onReliable('m0');
  for (let i = 1; i < AHEAD_MAX; i++) receiver.onReliable(`m${i}`);
  t.equal(heard.length, AHEAD_MAX);
  t.notOk(heard.includes('far'), 'a copy too far ahead was not kept');
});

t.test('in PeerChannels: a fast copy comes first, the schema and the role still apply to it', async (t) => {
  const pc = new FakePeerConnection();
  const channels = new PeerChannels(pc as unknown as ConstructorParameters<typeof PeerChannels>[0], 'customer');
  for (const label of ['control', 'file', 'input', 'fast']) pc.channel(label).open();
  const heard: string[] = [];
  channels.onControl((message) => heard.push(message.type));
  const inputs: unknown[] = [];
  channels.onInput((event) => inputs.push(event));
  const chat = JSON.stringify({ type: 'chat', id: 'm1', text: 'hello', sentAt: 1 });
  pc.channel('fast').receive(`c0 ${chat}`);
  pc.channel('control').receive(chat);
  t.same(heard, ['chat'], 'heard once, from the fast copy');
  pc.channel('fast').receive(`c1 ${JSON.stringify({ type: 'url.push', id: 'u1', url: 'https://example.com/' })}`);
  pc.channel('fast').receive(`i0 ${JSON.stringify({ k: 'move', x: 0.5, y: 0.5, ts: 1 })}`);
  pc.channel('fast').receive('garbage');
  t.same(heard, ['chat'], 'a customer may not push a link, fast or not');
  t.same(inputs, [], 'nor send input');
  t.equal(channels.rejected, 3);
  // Sending: the reliable message, and its fast copy.
  channels.sendControl({ type: 'ping', id: 1 });
  t.same(pc.channel('control').sent, [JSON.stringify({ type: 'ping', id: 1 })]);
  t.same(pc.channel('fast').sent, [`c0 ${JSON.stringify({ type: 'ping', id: 1 })}`]);
  pc.channel('control').close();
  pc.channel('file').close();
  await new Promise((resolve) => setTimeout(resolve, REPEAT_MS + 30));
  t.equal(pc.channel('fast').sent.length, 1, 'closed: the pending repeat is not sent');
});

t.test('in PeerChannels: the analyst\'s input reaches the customer\'s side from its fast copy, once', async (t) => {
  const pc = new FakePeerConnection();
  const channels = new PeerChannels(pc as unknown as ConstructorParameters<typeof PeerChannels>[0], 'analyst');
  for (const label of ['control', 'file', 'input', 'fast']) pc.channel(label).open();
  const inputs: unknown[] = [];
  channels.onInput((event) => inputs.push(event));
  const move = (x: number) => JSON.stringify({ k: 'move', x, y: 0.5, ts: 1 });
  // The first move's packet was lost: the second one's copy waits for it, then both go in order.
  pc.channel('fast').receive(`i1 ${move(0.2)}`);
  t.same(inputs, []);
  pc.channel('fast').receive(`i0 ${move(0.1)}`);
  pc.channel('input').receive(move(0.1));
  pc.channel('input').receive(move(0.2));
  pc.channel('fast').receive(`i1 ${move(0.2)}`);
  t.same(inputs.map((event) => (event as { x: number }).x), [0.1, 0.2], 'each once, in the analyst\'s order');
  t.equal(channels.fastFirst, 2);
  t.equal(channels.inputFlowing(), true, 'input received: files sent from this side keep the input-first pace');
  pc.channel('control').close();
});
