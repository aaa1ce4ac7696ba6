import { selectedPair, type StatsEntry, type StatsReport } from './connectivity.js';

// Every reader of getStats() for both pages, in one place (the transport's selected candidate pair is
// the connection in use; connectivity.ts finds it).

export interface VideoStats {
  framesDecoded: number;
  frameWidth: number;
  frameHeight: number;
  fps: number;
  /** Kind of the local candidate of the selected pair: host, srflx, prflx or relay. */
  route: string | null;
  /** For a relayed route: how this browser reaches the TURN server (udp, tcp or tls). */
  relayProtocol: string | null;
  /** Received video bytes so far and packets lost/received, for rates between two reads. */
  bytesReceived: number;
  packetsLost: number;
  packetsReceived: number;
  /** Round trip of the selected candidate pair, ms (null until measured). */
  rttMs: number | null;
  at: number;
}

/** Bitrate (kbit/s) and loss (%) between two reads. */
export function rates(previous: VideoStats | null, current: VideoStats): { kbps: number; lossPercent: number } {
  if (!previous || current.at <= previous.at) return { kbps: 0, lossPercent: 0 };
  const seconds = (current.at - previous.at) / 1000;
  const lost = current.packetsLost - previous.packetsLost;
  const received = current.packetsReceived - previous.packetsReceived;
  return {
    kbps: Math.max(0, ((current.bytesReceived - previous.bytesReceived) * 8) / 1000 / seconds),
    lossPercent: lost + received > 0 ? Math.max(0, (100 * lost) / (lost + received)) : 0,
  };
}

/** Reads the incoming video and the selected candidate pair from getStats. */
export async function readVideoStats(pc: RTCPeerConnection): Promise<VideoStats> {
  const report = await pc.getStats();
  const stats: VideoStats = {
    framesDecoded: 0, frameWidth: 0, frameHeight: 0, fps: 0, route: null, relayProtocol: null,
    bytesReceived: 0, packetsLost: 0, packetsReceived: 0, rttMs: null, at: performance.now(),
  };
  report.forEach((entry) => {
    if (entry.type !== 'inbound-rtp' || entry.kind !== 'video') return;
    stats.framesDecoded = entry.framesDecoded ?? 0;
    stats.frameWidth = entry.frameWidth ?? 0;
    stats.frameHeight = entry.frameHeight ?? 0;
    stats.fps = entry.framesPerSecond ?? 0;
    stats.bytesReceived = entry.bytesReceived ?? 0;
    stats.packetsLost = entry.packetsLost ?? 0;
    stats.packetsReceived = entry.packetsReceived ?? 0;
  });
  const selected = selectedPair(report as unknown as StatsReport);
  stats.route = selected?.local?.candidateType ?? null;
  stats.relayProtocol = selected?.local?.relayProtocol ?? null;
  stats.rttMs = selected ? roundTripMs(selected.pair) : null;
  return stats;
}

/**
 * The round trip of the connection in use, ms: the selected candidate pair's, the one definition
 * both pages use (the customer's connection word, the analyst's quality panel). Null until measured.
 */
export async function readRoundTripMs(pc: RTCPeerConnection): Promise<number | null> {
  const selected = selectedPair((await pc.getStats()) as unknown as StatsReport);
  return selected ? roundTripMs(selected.pair) : null;
}

const roundTripMs = (pair: StatsEntry): number | null => (typeof pair.currentRoundTripTime === 'number' ? pair.currentRoundTripTime * 1000 : null);
