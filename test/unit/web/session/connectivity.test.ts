import t from 'tap';
import { isConnected, isInterrupted, selectedPair, selectedPairRelayed, type StatsEntry } from '../../../../web/session/connectivity.js';

// When a running transfer and the session log say the connection is interrupted.

t.test('isInterrupted(): which ICE states count as a path that stopped answering', async (t) => {
  // [ICE state, the path worked before, interrupted?, why]
  const cases: Array<[string, boolean, boolean, string]> = [
    ['new', false, false, 'not yet connected'],
    ['checking', false, false, 'first connection under way'],
    ['connected', true, false, 'connected'],
    ['completed', true, false, 'completed'],
    ['disconnected', true, true, 'the other side stopped answering'],
    ['checking', true, true, 'checking new paths after an ICE restart'],
    ['failed', true, true, 'failed'],
    ['closed', true, false, 'closed on purpose'],
  ];
  for (const [iceConnectionState, wasConnected, expected, why] of cases) t.equal(isInterrupted({ iceConnectionState }, wasConnected), expected, why);
});

t.test('isConnected(): connected and completed are working paths, nothing else', async (t) => {
  const states = ['new', 'checking', 'connected', 'completed', 'disconnected', 'failed', 'closed'];
  t.same(states.filter((iceConnectionState) => isConnected({ iceConnectionState })), ['connected', 'completed']);
});

t.test('selectedPairRelayed() is true when either end of the selected pair is a TURN relay', async (t) => {
  const report = (local: string, remote: string) => {
    const entries = new Map<string, StatsEntry>([
      ['T', { type: 'transport', selectedCandidatePairId: 'P' }],
      ['P', { type: 'candidate-pair', localCandidateId: 'L', remoteCandidateId: 'R' }],
      ['L', { type: 'local-candidate', candidateType: local }],
      ['R', { type: 'remote-candidate', candidateType: remote }],
      // A relay candidate that is not on the selected pair does not count.
      ['X', { type: 'local-candidate', candidateType: 'relay' }],
    ]);
    return { forEach: (cb: (e: StatsEntry) => void) => entries.forEach((e) => cb(e)), get: (id: string) => entries.get(id) };
  };
  t.equal(selectedPairRelayed(report('relay', 'host')), true, 'our side relayed');
  t.equal(selectedPairRelayed(report('host', 'relay')), true, 'the other side relayed');
  t.equal(selectedPairRelayed(report('srflx', 'host')), false, 'direct');
  t.equal(selectedPairRelayed({ forEach: () => undefined, get: () => undefined }), false, 'no pair selected yet');
});

t.test('selectedPair() finds the pair in use from the transport (Chromium) or from the pair itself (Firefox)', async (t) => {
  const map = (entries: Array<[string, StatsEntry]>) => {
    const m = new Map(entries);
    return { forEach: (cb: (e: StatsEntry) => void) => m.forEach((e) => cb(e)), get: (id: string) => m.get(id) };
  };
  const chromium = map([
    ['T', { type: 'transport', selectedCandidatePairId: 'P2' }],
    ['P1', { type: 'candidate-pair', nominated: true, currentRoundTripTime: 0.9, localCandidateId: 'L' }],
    ['P2', { type: 'candidate-pair', nominated: true, currentRoundTripTime: 0.02, localCandidateId: 'L' }],
    ['L', { type: 'local-candidate', candidateType: 'host' }],
  ]);
  t.equal(selectedPair(chromium)?.pair.currentRoundTripTime, 0.02, 'the selected one, not any nominated pair');
  t.equal(selectedPair(chromium)?.local?.candidateType, 'host');
  const firefox = map([
    ['P1', { type: 'candidate-pair', selected: false, currentRoundTripTime: 0.9 }],
    ['P2', { type: 'candidate-pair', selected: true, currentRoundTripTime: 0.05, remoteCandidateId: 'R' }],
    ['R', { type: 'remote-candidate', candidateType: 'relay' }],
  ]);
  t.equal(selectedPair(firefox)?.pair.currentRoundTripTime, 0.05);
  t.equal(selectedPairRelayed(firefox), true);
  t.equal(selectedPair(map([])), null);
});
