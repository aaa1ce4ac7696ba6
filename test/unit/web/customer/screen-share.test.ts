import t from 'tap';
import type { CaptureResult } from '../../../../web/customer/screen-capture.js';
import { ScreenShare, type ShareTarget } from '../../../../web/customer/screen-share.js';
import { FakeStream, FakeTrack } from '../../../fakes/webrtc.js';

/** A session connection as the share sees it: what was added, stopped and switched on it. */
class FakeTarget implements ShareTarget {
  readonly calls: string[] = [];
  constructor(readonly name: string, public isConnected = true) {}
  shareScreen(stream: MediaStream): void {
    this.calls.push(`share ${(stream as unknown as FakeStream).tracks[0].label}`);
  }
  stopScreen(stream: MediaStream): void {
    this.calls.push(`stop ${(stream as unknown as FakeStream).tracks[0].label}`);
  }
  switchScreen(_added: MediaStream, oldTrack: MediaStreamTrack, newTrack: MediaStreamTrack): void {
    this.calls.push(`switch ${oldTrack.label}→${newTrack.label}`);
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
  t.same(h.connection().calls, ['share screen1', 'switch screen1→screen2'], 'the same sender, a new track');
  t.equal(h.streams[0].tracks[0].readyState, 'ended', 'the old source is released');
  h.streams[0].tracks[0].end();
  t.equal(h.share.isSharing, true, "the replaced track's end does not stop the new share");
  h.share.stop();
  t.same(h.connection().calls.at(-1), 'stop screen1', 'the stream first added is the one taken off');
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

t.test('a connection still connecting gets the screen when it connects; a replacement gets it again', async (t) => {
  const h = harness();
  const first = new FakeTarget('c0', false);
  h.setConnection(first);
  await h.share.start();
  t.same(first.calls, [], 'not while the first negotiation runs (simple-peer would lose it)');
  h.share.onConnected(first);
  t.same(first.calls, ['share screen1']);
  h.share.onConnected(first);
  t.same(first.calls, ['share screen1'], 'not twice on the same connection');
  const second = new FakeTarget('c1', false);
  h.setConnection(second);
  await h.share.switch();
  t.same(second.calls, [], 'a switch while the replacement connects waits for it');
  h.share.onConnected(second);
  t.same(second.calls, ['share screen2'], 'the replacement gets the current source');
  h.share.stop();
  t.same(second.calls.at(-1), 'stop screen2');
  t.same(first.calls, ['share screen1'], 'the dead connection is left alone');
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
