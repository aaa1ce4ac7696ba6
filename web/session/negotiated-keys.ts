import { fingerprintKey, type VerifyAlarmReason } from '../../protocol/index.js';

// The DTLS keys a connection actually negotiated, read where every browser has them: the
// a=fingerprint lines of the local and remote descriptions applied to it (the browser checks the
// peer's certificate against the remote one). Where the browser also reports certificates in its
// statistics (Chromium; Firefox does not), they must agree. No DOM types: unit-tested in Node.

/** What one session description says about its transports. */
export interface SdpTransports {
  /** Distinct certificate fingerprints, as "sha-256 AB:CD:…" (one per certificate and algorithm). */
  fingerprints: string[];
  /** Every m-section in use is in one BUNDLE group (one transport for everything). */
  bundled: boolean;
  /** m-sections in use. */
  sections: number;
}

export function sdpTransports(sdp: string): SdpTransports {
  const lines = sdp.split(/\r?\n/);
  const fingerprints = new Set<string>();
  const groups: string[][] = [];
  const sections: Array<{ mid: string | null; used: boolean }> = [];
  for (const line of lines) {
    if (line.startsWith('m=')) {
      const port = line.split(' ')[1];
      sections.push({ mid: null, used: port !== '0' });
    } else if (line.startsWith('a=mid:') && sections.length) {
      sections[sections.length - 1].mid = line.slice(6).trim();
    } else if (line.startsWith('a=bundle-only') && sections.length) {
      sections[sections.length - 1].used = true;
    } else if (line.startsWith('a=group:BUNDLE')) {
      groups.push(line.slice('a=group:BUNDLE'.length).trim().split(/\s+/).filter(Boolean));
    } else if (line.startsWith('a=fingerprint:')) {
      const [algorithm, value] = line.slice('a=fingerprint:'.length).trim().split(/\s+/);
      if (algorithm && value) fingerprints.add(fingerprintKey(algorithm, value));
    }
  }
  const used = sections.filter((section) => section.used);
  const bundled = used.length <= 1 ? groups.length <= 1 : groups.length === 1 && used.every((section) => section.mid !== null && groups[0].includes(section.mid));
  return { fingerprints: [...fingerprints], bundled, sections: used.length };
}

/** The one certificate a description names, or null when it names several (one per algorithm is fine). */
function oneCertificate(fingerprints: string[]): string | null {
  const byAlgorithm = new Map<string, Set<string>>();
  for (const entry of fingerprints) {
    const [algorithm, value] = entry.split(' ');
    byAlgorithm.set(algorithm, (byAlgorithm.get(algorithm) ?? new Set()).add(value));
  }
  if ([...byAlgorithm.values()].some((values) => values.size > 1)) return null;
  const sha256 = byAlgorithm.get('sha-256');
  if (sha256) return `sha-256 ${[...sha256][0]}`;
  return fingerprints[0] ?? null;
}

export type KeysCheck = { ok: true; local: string; remote: string } | { ok: false; reason: VerifyAlarmReason };

/** What the statistics say of the DTLS transports (where the browser reports them). */
export interface StatsTransports {
  /** Transports that have a remote certificate (a DTLS handshake done). */
  transports: number;
  /** Their remote certificates' fingerprints, "sha-256 AB:CD:…". */
  remote: string[];
}

/** Checks the two descriptions (and the statistics, when there are any): one transport, one certificate each side. */
export function checkKeys(localSdp: string, remoteSdp: string, stats: StatsTransports | null = null): KeysCheck {
  const local = sdpTransports(localSdp);
  const remote = sdpTransports(remoteSdp);
  if (!local.bundled || !remote.bundled) return { ok: false, reason: 'outsideBundle' };
  const localKey = oneCertificate(local.fingerprints);
  const remoteKey = oneCertificate(remote.fingerprints);
  if (!localKey || !remoteKey) return { ok: false, reason: 'secondTransport' };
  if (stats) {
    if (stats.transports > 1) return { ok: false, reason: 'secondTransport' };
    if (stats.remote.some((fingerprint) => fingerprint !== remoteKey)) return { ok: false, reason: 'fingerprintChanged' };
  }
  return { ok: true, local: localKey, remote: remoteKey };
}

type StatsEntry = { type: string; id: string; remoteCertificateId?: string; fingerprint?: string; fingerprintAlgorithm?: string };

/** The statistics' view, or null when the browser reports no certificates (Firefox). */
export function statsTransports(report: { forEach(callback: (entry: StatsEntry) => void): void; get(id: string): StatsEntry | undefined }): StatsTransports | null {
  let transports = 0;
  const remote: string[] = [];
  report.forEach((entry) => {
    if (entry.type !== 'transport' || !entry.remoteCertificateId) return;
    transports += 1;
    const certificate = report.get(entry.remoteCertificateId);
    if (certificate?.fingerprint) remote.push(fingerprintKey(certificate.fingerprintAlgorithm ?? 'sha-256', certificate.fingerprint));
  });
  return transports === 0 ? null : { transports, remote };
}

/** Reads a connection's keys once it has both descriptions; null before. */
export async function readNegotiatedKeys(pc: RTCPeerConnection): Promise<KeysCheck | null> {
  const local = pc.currentLocalDescription?.sdp;
  const remote = pc.currentRemoteDescription?.sdp;
  if (!local || !remote) return null;
  const report = await pc.getStats().catch(() => null);
  return checkKeys(local, remote, report ? statsTransports(report as never) : null);
}
