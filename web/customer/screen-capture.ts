import { screenContentHint, screenFrameRate } from '../session/screen-settings.js';

export type CaptureResult = { ok: true; stream: MediaStream } | { ok: false; reason: 'denied' | 'unsupported' | 'failed' };

/**
 * Asks the browser to share a screen, window or tab. Must run inside a click handler: browsers
 * refuse getDisplayMedia without a user gesture, which is exactly the consent we want.
 */
export async function captureScreen(): Promise<CaptureResult> {
  if (!navigator.mediaDevices?.getDisplayMedia) return { ok: false, reason: 'unsupported' };
  try {
    const stream = await navigator.mediaDevices.getDisplayMedia({
      video: { frameRate: screenFrameRate('sharper') },
      audio: false,
    });
    // Screen content: keep text sharp rather than motion smooth (the session's starting mode).
    for (const track of stream.getVideoTracks()) track.contentHint = screenContentHint('sharper');
    return { ok: true, stream };
  } catch (err) {
    const name = (err as DOMException)?.name;
    return { ok: false, reason: name === 'NotAllowedError' || name === 'AbortError' ? 'denied' : 'failed' };
  }
}

export function stopStream(stream: MediaStream | null): void {
  stream?.getTracks().forEach((track) => track.stop());
}
