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
