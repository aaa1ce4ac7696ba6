import t from 'tap';
import { Emitter } from '../../../web/emitter.js';

type Events = { change: []; message: [text: string, from: number] };

t.test('on() delivers typed arguments and returns its own unsubscribe', async (t) => {
  const emitter = new Emitter<Events>();
  const got: string[] = [];
  const off = emitter.on('message', (text, from) => got.push(`${text}/${from}`));
  emitter.emit('message', 'hi', 1);
  off();
  emitter.emit('message', 'gone', 2);
  t.same(got, ['hi/1']);
  t.equal(emitter.listenerCount('message'), 0, 'nothing left behind');
  off();
  t.equal(emitter.listenerCount('message'), 0, 'unsubscribing twice is harmless');
});

t.test('a listener that throws is reported and the others still run', async (t) => {
  const errors: unknown[] = [];
  const emitter = new Emitter<Events>((err) => errors.push(err));
  let after = 0;
  emitter.on('change', () => {
    throw new Error('boom');
  });
  emitter.on('change', () => (after += 1));
  emitter.emit('change');
  emitter.emit('change');
  t.equal(after, 2);
  t.equal(errors.length, 2);
});

t.test('the same function twice is two subscriptions; once() fires once; listeners may unsubscribe while called', async (t) => {
  const emitter = new Emitter<Events>();
  let calls = 0;
  const listener = () => (calls += 1);
  const offA = emitter.on('change', listener);
  emitter.on('change', listener);
  offA();
  emitter.emit('change');
  t.equal(calls, 1, 'the other subscription of the same function stays');
  let once = 0;
  emitter.once('change', () => (once += 1));
  emitter.emit('change');
  emitter.emit('change');
  t.equal(once, 1);
  const order: string[] = [];
  const offFirst = emitter.on('message', () => {
    order.push('first');
    offFirst();
  });
  emitter.on('message', () => order.push('second'));
  emitter.emit('message', 'x', 0);
  emitter.emit('message', 'y', 0);
  t.same(order, ['first', 'second', 'second']);
  emitter.clear();
  t.equal(emitter.listenerCount('change'), 0);
});
