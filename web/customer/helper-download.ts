import { api, errorCodeOf } from '../api.js';
import {
  embeddedPairingTrailer, ERRORS, HELPER_DOWNLOAD_PATH, helperFileName, HELPER_PLATFORMS,
  type ErrorCode, type HelperDownloads, type HelperPlatform, type PairingFile,
} from '../../protocol/index.js';

// The helper download, customer side: which program suits this computer, and the download itself,
// made here with fetch so the page can append the pairing (protocol/helper.ts) before the browser
// saves the file. The secret never leaves this computer: the server serves the same program to
// every customer and sees only the download token of the live pairing code.

/** What this computer is, as far as the browser tells: a helper platform, or a system without one. */
export type DetectedSystem = HelperPlatform | 'macos' | 'other';

export function detectSystem(userAgent: string, uaPlatform?: string): DetectedSystem {
  const hint = `${uaPlatform ?? ''} ${userAgent}`;
  if (/Android|CrOS|iPhone|iPad/i.test(hint)) return 'other';
  if (/Windows|Win64|Win32/i.test(hint)) return /ARM64|aarch64/i.test(hint) ? 'other' : 'win-x64';
  if (/Mac/i.test(hint)) return 'macos';
  if (/Linux|X11/i.test(hint)) return /aarch64|arm/i.test(hint) ? 'other' : 'linux-x64';
  return 'other';
}

export function thisSystem(): DetectedSystem {
  const data = (navigator as Navigator & { userAgentData?: { platform?: string } }).userAgentData;
  return detectSystem(navigator.userAgent, data?.platform);
}

export const isHelperPlatform = (value: string): value is HelperPlatform => (HELPER_PLATFORMS as readonly string[]).includes(value);

/** What this server has built (none when it cannot say). */
export async function helperDownloads(): Promise<HelperDownloads['platforms']> {
  const result = await api<HelperDownloads>('/helper/downloads');
  return result.ok ? result.data.platforms : [];
}

/** A refused or failed download: the server's error code (or 'network'). */
export class HelperDownloadError extends Error {
  constructor(readonly code: ErrorCode | 'network') {
    super(code === 'network' ? 'network' : ERRORS[code]);
  }
}

export interface DownloadRequest {
  platform: HelperPlatform;
  ticketId: string;
  token: string;
  pairing: PairingFile;
  /** The program's size (for progress: the browser undoes the compression as it reads). */
  size: number;
  onProgress?: (fraction: number) => void;
  signal?: AbortSignal;
}

/** The program with this session's pairing appended, and the name to save it under. */
export async function downloadHelper(request: DownloadRequest): Promise<{ blob: Blob; name: string }> {
  const url = `${HELPER_DOWNLOAD_PATH}/${request.platform}?ticket=${encodeURIComponent(request.ticketId)}&token=${request.token}`;
  let response: Response;
  try {
    response = await fetch(url, { credentials: 'same-origin', signal: request.signal });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new HelperDownloadError('network');
  }
  if (!response.ok || !response.body) throw new HelperDownloadError(errorCodeOf(await response.json().catch(() => null)));
  const parts: BlobPart[] = [];
  const reader = response.body.getReader();
  let received = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      parts.push(value);
      received += value.byteLength;
      request.onProgress?.(Math.min(1, received / request.size));
    }
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new HelperDownloadError('network');
  }
  if (received !== request.size) throw new HelperDownloadError('network');
  parts.push(embeddedPairingTrailer(request.pairing));
  return { blob: new Blob(parts, { type: 'application/octet-stream' }), name: helperFileName(request.platform) };
}
