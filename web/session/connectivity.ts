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
  /** A candidate's address (`ip` in older browsers). */
  address?: string;
  ip?: string;
  relayProtocol?: string;
  currentRoundTripTime?: number;
  localCertificateId?: string;
  remoteCertificateId?: string;
  fingerprint?: string;
  /** Firefox marks the pair in use on the pair itself (it has no transport entry that names it). */
  selected?: boolean;
  nominated?: boolean;
  state?: string;
}

/** A getStats() report (RTCStatsReport is a map of such entries). */
export interface StatsReport {
  forEach(callback: (entry: StatsEntry) => void): void;
  get(id: string): StatsEntry | undefined;
}

/**
 * The candidate pair in use now, with its two candidates; null before one is selected. Chromium
 * and Safari name it on the transport entry; Firefox marks the pair itself `selected`.
 */
export function selectedPair(report: StatsReport): { pair: StatsEntry; local?: StatsEntry; remote?: StatsEntry } | null {
  let pair: StatsEntry | undefined;
  report.forEach((entry) => {
    if (!pair && entry.type === 'transport' && entry.selectedCandidatePairId) pair = report.get(entry.selectedCandidatePairId);
  });
  if (!pair) report.forEach((entry) => {
    if (!pair && entry.type === 'candidate-pair' && entry.selected) pair = entry;
  });
  if (!pair) return null;
  const { localCandidateId, remoteCandidateId } = pair;
  return { pair, local: localCandidateId ? report.get(localCandidateId) : undefined, remote: remoteCandidateId ? report.get(remoteCandidateId) : undefined };
}

/** Whether the selected candidate pair goes through a TURN relay on either side. */
export function selectedPairRelayed(report: StatsReport): boolean {
  const selected = selectedPair(report);
  return selected?.local?.candidateType === 'relay' || selected?.remote?.candidateType === 'relay';
}
