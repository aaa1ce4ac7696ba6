import t from 'tap';
import type { CaptureResult } from '../../../../web/customer/screen-capture.js';
import { ScreenShare, type ShareTarget } from '../../../../web/customer/screen-share.js';
import { FakeStream, FakeTrack } from '../../../fakes/webrtc.js';

/** A session connection as the share sees it: what was put on its screen sender, and taken off. */
class FakeTarget implements ShareTarget {
  readonly calls: string[] = [];
  constructor(readonly name: string) {}
  shareScreen(stream: MediaStream): void {
    this.calls.push(`share ${(stream as unknown as FakeStream).tracks[0].label}`);
  }
  stopScreen(stream: MediaStream): void {
    this.calls.push(`stop ${(stream as unknown as FakeStream).tracks[0].label}`);
  }
}

function harness(results: CaptureResult[] = []) {
  let connection: FakeTarget | null = new FakeTarget('c0');
  const told: boolean[] = [];
  const streams: FakeStream[] = [];
  let picks = 0;
  const share = new ScreenShare<FakeTarget>({
    connection: () => connection,
    tellServer: (sharing) => told.push(sharing),
    capture: async () => {
      const scripted = results.shift();
      if (scripted) return scripted;
      const stream = new FakeStream(new FakeTrack(`screen${++picks}`));
      streams.push(stream);
      return { ok: true, stream: stream as unknown as MediaStream };
    },
  });
  const changes: Array<string | null> = [];
  const sharing: boolean[] = [];
  const problems: Array<string | null> = [];
  share.on('change', (stream) => changes.push(stream ? (stream as unknown as FakeStream).tracks[0].label : null));
  share.on('sharing', (value) => sharing.push(value));
  share.on('problem', (problem) => problems.push(problem));
  return { share, told, streams, changes, sharing, problems, connection: () => connection!, setConnection: (next: FakeTarget | null) => (connection = next) };
}

t.test('start, switch, stop: the connection carries the screen, the server and the log hear each change once', async (t) => {
  const h = harness();
  await h.share.start();
  t.equal(h.share.isSharing, true);
  t.same(h.connection().calls, ['share screen1']);
  await h.share.start();
  t.same(h.connection().calls, ['share screen1'], 'a second click while sharing asks for nothing');
  await h.share.switch();
  t.same(h.connection().calls, ['share screen1', 'share screen2'], 'the same sender, a new track');
  t.equal(h.streams[0].tracks[0].readyState, 'ended', 'the old source is released');
  h.streams[0].tracks[0].end();
  t.equal(h.share.isSharing, true, "the replaced track's end does not stop the new share");
  h.share.stop();
  t.same(h.connection().calls.at(-1), 'stop screen2', 'the sender is emptied');
  t.equal(h.streams[1].tracks[0].readyState, 'ended');
  t.same(h.changes, ['screen1', 'screen2', null]);
  t.same(h.sharing, [true, false], 'a switch is not a new share');
  t.same(h.told, [true, false]);
});

t.test("the browser's own stop bar ends the share like the page's button", async (t) => {
  const h = harness();
  await h.share.start();
  h.streams[0].tracks[0].end();
  t.equal(h.share.isSharing, false);
  t.same(h.told, [true, false]);
  t.same(h.sharing, [true, false]);
});

t.test('a refused or unsupported picker is a problem; a cancelled switch keeps the share as it was', async (t) => {
  const h = harness([{ ok: false, reason: 'denied' }, { ok: false, reason: 'unsupported' }]);
  await h.share.start();
  await h.share.start();
  t.same(h.problems, [null, 'denied', null, 'unsupported']);
  t.equal(h.share.isSharing, false);
  t.same(h.told, [], 'the server hears nothing');

  // The first pick succeeds (nothing scripted), the switches are cancelled, then fail.
  const s = harness([undefined as never, { ok: false, reason: 'denied' }, { ok: false, reason: 'failed' }]);
  await s.share.start();
  await s.share.switch();
  t.equal(s.share.isSharing, true, 'cancelling the picker keeps sharing');
  t.same(s.problems.at(-1), null, 'and is not an error');
  await s.share.switch();
  t.same(s.problems.at(-1), 'failed');
  t.same(s.connection().calls, ['share screen1'], 'the connection never saw either');
  t.equal(s.streams[0].tracks[0].readyState, 'live');
});

t.test('the screen goes on a connection at once, connecting or not; a replacement gets the current source as soon as it is made', async (t) => {
  const h = harness();
  const first = new FakeTarget('c0');
  h.setConnection(first);
  await h.share.start();
  t.same(first.calls, ['share screen1'], 'no wait for the first negotiation: the sender is in the first offer');
  h.share.onConnection(first);
  t.same(first.calls, ['share screen1'], 'not twice on the same connection');
  const second = new FakeTarget('c1');
  h.setConnection(second);
  await h.share.switch();
  t.same(second.calls, ['share screen2'], 'a switch goes on the connection there is now');
  t.same(first.calls, ['share screen1'], 'the dead connection is left alone');
  const third = new FakeTarget('c2');
  h.setConnection(third);
  h.share.onConnection(third);
  t.same(third.calls, ['share screen2'], 'the replacement gets the current source');
  h.share.stop();
  t.same(third.calls.at(-1), 'stop screen2');
  t.same(second.calls, ['share screen2'], 'only the current connection is emptied');
});

t.test('the end of the session releases the screen without telling the server or the log, and nothing starts after it', async (t) => {
  const h = harness();
  await h.share.start();
  h.share.end();
  t.equal(h.streams[0].tracks[0].readyState, 'ended');
  t.same(h.told, [true]);
  t.same(h.sharing, [true]);
  t.same(h.changes, ['screen1', null]);
  await h.share.start();
  t.equal(h.share.isSharing, false);
});

t.test('a session that ends while the picker is open gets no share: the picked screen is released', async (t) => {
  let release: (result: CaptureResult) => void = () => undefined;
  const stream = new FakeStream(new FakeTrack('late'));
  const share = new ScreenShare<FakeTarget>({
    connection: () => new FakeTarget('c0'),
    tellServer: () => t.fail('nothing to tell'),
    capture: () => new Promise((resolve) => (release = resolve)),
  });
  const starting = share.start();
  share.end();
  release({ ok: true, stream: stream as unknown as MediaStream });
  await starting;
  t.equal(share.isSharing, false);
  t.equal(stream.tracks[0].readyState, 'ended');
});
