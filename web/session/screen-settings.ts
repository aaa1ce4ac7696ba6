// How the customer's screen is captured and encoded in each quality mode, in one place: the
// capture asks for it (web/customer/screen-capture.ts) and the session connection keeps to it
// (session-connection.ts), which re-applies constraints only when they differ from these.

export type QualityMode = 'sharper' | 'smoother';

/** Bitrate caps for screen sharing (bits/s): generous for text, lower for motion at more frames. */
export const SCREEN_MAX_BITRATE = { sharper: 2_500_000, smoother: 1_500_000 } as const;
/** Frames a second for screen sharing, captured and encoded at most: fewer for text, more for motion. */
export const SCREEN_MAX_FRAMERATE = { sharper: 15, smoother: 30 } as const;

/** The capture's frame-rate constraint in `mode`. */
export const screenFrameRate = (mode: QualityMode) => ({ ideal: SCREEN_MAX_FRAMERATE[mode], max: SCREEN_MAX_FRAMERATE.smoother });

/** The track's content hint in `mode`: keep text sharp, or motion smooth. */
export const screenContentHint = (mode: QualityMode) => (mode === 'sharper' ? 'detail' : 'motion');
