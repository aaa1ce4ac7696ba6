// Whether a peer connection's network path works, from the states the browser reports. No DOM
// types, so it is unit-tested in Node.

/** The state of an RTCPeerConnection this looks at. */
export interface PathStates {
  iceConnectionState: string;
}

/**
 * A connection whose path stopped answering: ICE reports "disconnected" (no reply from the other
 * side for a few seconds; Chromium says so ~5 s after the other browser froze or lost its
 * network), or, once it `wasConnected`, is checking new paths after an ICE restart. It may come
 * back; if it does not, the browser reports it failed (~10 s later in Chromium), which ends what
 * travels on it.
 */
export function isInterrupted(connection: PathStates, wasConnected: boolean): boolean {
  const state = connection.iceConnectionState;
  return state === 'disconnected' || state === 'failed' || (state === 'checking' && wasConnected);
}

/** Whether ICE reports a working path. */
export const isConnected = (connection: PathStates): boolean =>
  connection.iceConnectionState === 'connected' || connection.iceConnectionState === 'completed';

/** One entry of a getStats() report, as far as this module reads it. */
export interface StatsEntry {
  type: string;
  selectedCandidatePairId?: string;
  localCandidateId?: string;
  remoteCandidateId?: string;
  candidateType?: string;
}

/** A getStats() report (RTCStatsReport is a map of such entries). */
export interface StatsReport {
  forEach(callback: (entry: StatsEntry) => void): void;
  get(id: string): StatsEntry | undefined;
}

/** Whether the selected candidate pair goes through a TURN relay on either side. */
export function selectedPairRelayed(report: StatsReport): boolean {
  let relayed = false;
  report.forEach((entry) => {
    if (entry.type !== 'transport' || !entry.selectedCandidatePairId) return;
    const pair = report.get(entry.selectedCandidatePairId);
    const ends = [pair?.localCandidateId, pair?.remoteCandidateId].map((id) => (id ? report.get(id) : undefined));
    if (ends.some((candidate) => candidate?.candidateType === 'relay')) relayed = true;
  });
  return relayed;
}
