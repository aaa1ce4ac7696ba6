export interface VideoStats {
  framesDecoded: number;
  frameWidth: number;
  frameHeight: number;
  fps: number;
  /** Kind of the local candidate of the selected pair: host, srflx, prflx or relay. */
  route: string | null;
  /** For a relayed route: how this browser reaches the TURN server (udp, tcp or tls). */
  relayProtocol: string | null;
}

/** Reads the incoming video and the selected candidate pair from getStats. */
export async function readVideoStats(pc: RTCPeerConnection): Promise<VideoStats> {
  const report = await pc.getStats();
  const stats: VideoStats = { framesDecoded: 0, frameWidth: 0, frameHeight: 0, fps: 0, route: null, relayProtocol: null };
  let selectedPairId: string | null = null;
  report.forEach((entry) => {
    if (entry.type === 'inbound-rtp' && entry.kind === 'video') {
      stats.framesDecoded = entry.framesDecoded ?? 0;
      stats.frameWidth = entry.frameWidth ?? 0;
      stats.frameHeight = entry.frameHeight ?? 0;
      stats.fps = entry.framesPerSecond ?? 0;
    }
    if (entry.type === 'transport' && entry.selectedCandidatePairId) selectedPairId = entry.selectedCandidatePairId;
  });
  if (selectedPairId) {
    const pair = report.get(selectedPairId);
    const local = pair ? report.get(pair.localCandidateId) : undefined;
    stats.route = local?.candidateType ?? null;
    stats.relayProtocol = local?.relayProtocol ?? null;
  }
  return stats;
}
