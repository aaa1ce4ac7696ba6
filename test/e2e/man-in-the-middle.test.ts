import t, { type Test } from 'tap';
import type { Page } from 'playwright-core';
import { launchBrowser } from '../helpers/browser.js';
import { analystSignsIn, analystTakes, customerRequestsHelp } from '../helpers/flows.js';
import { Attacker, SignalingShim, type AttackerMode } from '../helpers/mitm.js';
import { startServer } from '../helpers/server.js';
import { CAPTURE_CHANNELS } from '../helpers/session.js';

// An active attacker who relays the signaling (a compromised signaling process, or anyone who can
// write to the Redis bus): a shim of the test's own between the customer's page and /ws, and an
// attacker page with real peer connections. Every attack must end in a refusal or a visible
// alarm on both pages, never in matching codes with the screen flowing through the attacker.
t.setTimeout(420_000);
const server = await startServer();
const browser = await launchBrowser();
const attackerBrowser = await launchBrowser();
t.teardown(async () => {
  await browser.close();
  await attackerBrowser.close();
  await server.close();
});

type Json = Record<string, unknown>;
const isSignal = (frame: Json): frame is { type: 'signal'; link?: number; data: Json } => frame.type === 'signal';

async function pages(t: Test, name: string) {
  const customer = await browser.newPage();
  const analyst = await browser.newPage();
  t.teardown(async () => {
    await customer.context().close();
    await analyst.context().close();
  });
  for (const page of [customer, analyst]) await page.addInitScript(CAPTURE_CHANNELS);
  const shim = await SignalingShim.install(customer);
  await analystSignsIn(analyst, server.url);
  await customerRequestsHelp(customer, server.url, name);
  await analystTakes(analyst, customer, name);
  return { customer, analyst, shim };
}

async function attackerPage(t: Test, mode: AttackerMode): Promise<Attacker> {
  const page = await attackerBrowser.newPage();
  t.teardown(() => page.context().close());
  return Attacker.open(page, server.url, mode);
}

/**
 * Diverts the session connections numbered `from` and up through the attacker: the customer's
 * signals go to the attacker's customer-facing leg, the analyst's to its analyst-facing leg, and
 * the attacker's own signals are delivered as if from the other page.
 */
function divert(shim: SignalingShim, attacker: Attacker, from = 0) {
  let link = from;
  let started = false;
  attacker.onSignal = (leg, data) => {
    if (leg === 'c') shim.toCustomer({ type: 'signal', from: 'analyst', link, data });
    if (leg === 'a') shim.toServer({ type: 'signal', link, data });
  };
  shim.policy = {
    fromCustomer(frame) {
      if (!isSignal(frame) || (frame.link ?? 0) < from) return 'pass';
      link = frame.link ?? 0;
      void attacker.signal('c', frame.data);
      if (!started) {
        started = true;
        void attacker.start(); // its own offer to the analyst, as the customer would make
      }
      return 'drop';
    },
    fromServer(frame) {
      if (!isSignal(frame) || (frame.link ?? 0) < from) return 'pass';
      if (frame.data.type === 'linkClosed') return 'drop';
      void attacker.signal('a', frame.data);
      return 'drop';
    },
  };
}

const alarm = (page: Page) => page.getByTestId('verify-alarm');
async function alarmsOnBoth(t: Test, customer: Page, analyst: Page, reasons: RegExp, timeout = 30_000, shared = false) {
  for (const [who, page] of [['customer', customer], ['analyst', analyst]] as const) {
    await alarm(page).waitFor({ timeout });
    t.match(await alarm(page).getAttribute('data-reason'), reasons, `the ${who}'s page raises the alarm`);
    t.match(await alarm(page).textContent(), /Someone may be listening in/);
    const logged = page.locator('[data-testid="activity"][data-key^="tools.event.alarm."]');
    await logged.first().waitFor({ timeout: 5_000 });
    t.ok((await logged.count()) >= 1, `and the ${who}'s log says so`);
    t.equal(await page.locator('[data-testid="verification-code"]').count(), 0, `the ${who}'s page shows no code to read out`);
  }
  if (!shared) return;
  await customer.getByTestId('start-share').waitFor({ timeout: 5_000 });
  t.equal(await customer.getByTestId('sharing-indicator').count(), 0, "the customer's share was stopped by the alarm");
}

t.test('a man in the middle from the start that relays everything: the commitment fails and both pages raise the alarm', async (t) => {
  const { customer, analyst, shim } = await pages(t, 'Relayed');
  const attacker = await attackerPage(t, 'relay');
  divert(shim, attacker);
  await customer.getByTestId('consent-allow').click();
  for (const page of [customer, analyst]) await page.locator('[data-testid="activity"][data-key="tools.event.connected"]').waitFor({ timeout: 20_000 });
  t.pass('both pages connected, each to the attacker');
  await alarmsOnBoth(t, customer, analyst, /^commitMismatch$/);
  const report = await attacker.report();
  t.ok((report.relayed['verify.commit'] ?? 0) >= 1, 'the exchange went through the attacker');
});

t.test('a man in the middle that plays the exchange itself: the two codes differ, and "No" ends the session on both pages', async (t) => {
  const { customer, analyst, shim } = await pages(t, 'Played');
  const attacker = await attackerPage(t, 'play');
  divert(shim, attacker);
  await customer.getByTestId('consent-allow').click();
  await customer.getByTestId('start-share').click();
  const codes: string[] = [];
  for (const page of [customer, analyst]) {
    const code = page.getByTestId('verification-code');
    await code.waitFor({ timeout: 30_000 });
    codes.push((await code.getAttribute('data-code')) ?? '');
  }
  t.not(codes[0], codes[1], `the codes differ (${codes[0]} / ${codes[1]})`);
  await customer.waitForTimeout(1500);
  const report = await attacker.report();
  t.comment(`frames the attacker received from the customer: ${report.framesFromCustomer}`);
  t.match(await analyst.getByTestId('verification-code').textContent(), /Does Played read the same code\?/, 'the analyst is asked to compare');
  t.match(await customer.getByTestId('verification-code').textContent(), /Does .+ read the same code\?/, 'so is the customer');
  await analyst.getByTestId('verify-no').click();
  await analyst.locator('[data-testid="session-status"][data-end-reason="codeMismatch"]').waitFor({ timeout: 10_000 });
  await customer.locator('[data-testid="ended"][data-reason="codeMismatch"]').waitFor({ timeout: 10_000 });
  t.match(await customer.getByTestId('ended').textContent(), /verification codes differed/);
  t.match(await analyst.getByTestId('session-status').textContent(), /verification codes differed/);
});

/** A session whose first negotiation passed untouched; the two pages verified the same code. */
async function verifiedSession(t: Test, name: string) {
  const { customer, analyst, shim } = await pages(t, name);
  await customer.getByTestId('consent-allow').click();
  const codes: string[] = [];
  for (const page of [customer, analyst]) {
    const code = page.getByTestId('verification-code');
    await code.waitFor({ timeout: 30_000 });
    codes.push((await code.getAttribute('data-code')) ?? '');
  }
  t.equal(codes[0], codes[1], 'without an attacker, the same code on both pages');
  return { customer, analyst, shim, code: codes[0] };
}

/** The m-sections of a description, and what comes before them. */
function sections(sdp: string): { head: string; media: string[] } {
  const parts = sdp.split(/\r\n(?=m=)/);
  return { head: parts[0], media: parts.slice(1) };
}
const joinSdp = (...parts: string[]) => `${parts.map((part) => part.trim().replace(/(\r\n)+/g, '\r\n')).join('\r\n')}\r\n`;
const mid = (section: string) => /a=mid:(\S+)/.exec(section)?.[1] ?? '';

/** The analyst's last answer on the session connection, as the shim saw it pass. */
function lastAnalystAnswer(shim: SignalingShim): { sdp: string; link: number } {
  const frame = [...shim.seen].reverse().find((f) => f.direction === 'down' && isSignal(f.frame) && f.frame.data.type === 'answer');
  const signal = frame?.frame as { link?: number; data: { sdp?: string } } | undefined;
  return { sdp: String(signal?.data.sdp ?? ''), link: signal?.link ?? 0 };
}

/** A renegotiating offer posing as the analyst's, made from its last answer: the version one up, `edit` on the rest. */
function offerFromAnswer(answerSdp: string, edit: (head: string, media: string[]) => string[]): string {
  const answer = sections(answerSdp);
  const head = answer.head.replace(/o=(\S+) (\d+) (\d+)/, (_all, user, id, version) => `o=${user} ${id} ${Number(version) + 1}`);
  return joinSdp(...edit(head, answer.media));
}

t.test("the attacker's own renegotiation adds a video transport outside the bundle: the alarm on both pages", async (t) => {
  const { customer, analyst, shim } = await verifiedSession(t, 'Bundled');
  const attacker = await attackerPage(t, 'relay');
  const videoOffer = sections(await attacker.videoOffer()).media[0];
  // The screen flows on the established connection (its video section is in the first offer).
  await customer.getByTestId('start-share').click();
  await analyst.getByTestId('remote-screen').waitFor();
  const { sdp: answerSdp, link } = lastAnalystAnswer(shim);
  const established = sections(answerSdp).media;
  // The attacker's section: the next mid, after every established one, outside the BUNDLE group.
  const videoMid = String(Math.max(...established.map((m) => Number(mid(m)))) + 1);
  attacker.onSignal = (leg, data) => {
    if (leg !== 'v') return;
    const candidate = data.candidate as { candidate: string } | undefined;
    if (candidate) shim.toCustomer({ type: 'signal', from: 'analyst', link, data: { type: 'candidate', candidate: { candidate: candidate.candidate, sdpMid: videoMid, sdpMLineIndex: established.length } } });
  };
  shim.policy = {
    fromCustomer(frame) {
      if (!isSignal(frame)) return 'pass';
      const data = frame.data as { type?: string; sdp?: string; candidate?: { sdpMid?: string; candidate: string } };
      // The customer's answer to the attacker's offer: its new video section goes to the attacker's receiver.
      if (data.type === 'answer') {
        const reply = sections(data.sdp ?? '');
        const video = reply.media.find((m) => mid(m) === videoMid);
        if (video) void attacker.signal('v', { type: 'answer', sdp: joinSdp(reply.head.replace(/a=group:BUNDLE[^\r\n]*/, ''), video.replace(/a=mid:\S+/, 'a=mid:0')) });
        return 'drop';
      }
      if (data.candidate && data.candidate.sdpMid === videoMid) {
        void attacker.signal('v', { type: 'candidate', candidate: { candidate: data.candidate.candidate, sdpMid: '0', sdpMLineIndex: 0 } });
        return 'drop';
      }
      return 'pass';
    },
  };
  // An offer posing as the analyst's: the established sections, and a video section of the
  // attacker's, with the attacker's fingerprint, outside the BUNDLE group.
  const sdp = offerFromAnswer(answerSdp, (head, media) => [head, ...media, videoOffer.replace(/a=mid:\S+/, `a=mid:${videoMid}`)]);
  shim.toCustomer({ type: 'signal', from: 'analyst', link, data: { type: 'offer', sdp } });
  await alarmsOnBoth(t, customer, analyst, /^(outsideBundle|secondTransport|renegotiationRefused)$/, 30_000, true);
  const report = await attacker.report();
  t.comment(`reason: ${await alarm(customer).getAttribute('data-reason')}; frames on the attacker's video transport: ${report.framesOnVideoLeg}`);
});

t.test('a renegotiation the browser refuses (the video taken out of the established bundle) is visible on both pages', async (t) => {
  const { customer, analyst, shim } = await verifiedSession(t, 'Refused');
  await customer.getByTestId('start-share').click();
  await analyst.getByTestId('remote-screen').waitFor();
  const { sdp: answerSdp, link } = lastAnalystAnswer(shim);
  const videoMid = mid(sections(answerSdp).media.find((m) => m.startsWith('m=video'))!);
  // An offer posing as the analyst's that takes the screen's section out of the established bundle.
  const sdp = offerFromAnswer(answerSdp, (head, media) => [
    head.replace(/a=group:BUNDLE ([^\r\n]*)/, (_all, list: string) => `a=group:BUNDLE ${list.split(' ').filter((m) => m !== videoMid).join(' ')}`),
    ...media,
  ]);
  shim.policy = { fromCustomer: (frame) => (isSignal(frame) && frame.data.type === 'answer' ? 'drop' : 'pass') };
  shim.toCustomer({ type: 'signal', from: 'analyst', link, data: { type: 'offer', sdp } });
  await alarmsOnBoth(t, customer, analyst, /^(renegotiationRefused|outsideBundle)$/, 30_000, true);
});

t.test('a replaced connection set up through the attacker: the new keys do not pass, and both pages raise the alarm', async (t) => {
  const { customer, analyst, shim } = await verifiedSession(t, 'Replaced');
  await customer.getByTestId('verify-yes').click();
  await analyst.locator('[data-testid="verify-confirmed"]').waitFor();
  t.match(await analyst.getByTestId('verify-confirmed').textContent(), /confirmed the code/, "the analyst's page knows the customer said yes");
  const attacker = await attackerPage(t, 'relay');
  divert(shim, attacker, 1);
  // The analyst's end of connection 0 fails: the customer's page makes connection 1, which the attacker takes.
  await analyst.evaluate(() => (window as unknown as { __pcs: RTCPeerConnection[] }).__pcs[0].close());
  await alarmsOnBoth(t, customer, analyst, /^(commitMismatch|roundMissing|fingerprintChanged)$/, 40_000);
});
