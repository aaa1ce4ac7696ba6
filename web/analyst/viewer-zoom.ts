// How the analyst looks at the customer's screen: fit to the viewer, or a scale of the picture's
// own pixels (1 = 100 %: one picture pixel per screen pixel), panned by scrolling. Pure: tested in Node.

export type Zoom = { mode: 'fit' } | { mode: 'scale'; scale: number };

export const ZOOM_STEPS = [0.25, 0.5, 0.75, 1, 1.5, 2, 3] as const;

/** The scale "fit" shows the picture at, in the same terms (picture pixels to device pixels). */
export function fitScale(picture: { width: number; height: number }, box: { width: number; height: number }, devicePixelRatio: number): number {
  if (picture.width <= 0 || picture.height <= 0) return 1;
  return Math.min(box.width / picture.width, box.height / picture.height) * devicePixelRatio;
}

/** One step closer (in) or further (out) from where the view is now; fit counts as its own scale. */
export function stepZoom(current: Zoom, direction: 'in' | 'out', fit: number): Zoom {
  const now = current.mode === 'fit' ? fit : current.scale;
  const next = direction === 'in' ? ZOOM_STEPS.find((s) => s > now + 1e-6) : [...ZOOM_STEPS].reverse().find((s) => s < now - 1e-6);
  return next === undefined ? current : { mode: 'scale', scale: next };
}

/** The video element's size in CSS pixels for a scale (null for fit: the style sheet's size). */
export function videoSize(zoom: Zoom, picture: { width: number; height: number }, devicePixelRatio: number): { width: number; height: number } | null {
  if (zoom.mode === 'fit' || picture.width <= 0 || picture.height <= 0) return null;
  return { width: Math.round((picture.width * zoom.scale) / devicePixelRatio), height: Math.round((picture.height * zoom.scale) / devicePixelRatio) };
}

/** The scroll offsets that keep the same point of the picture at the viewport's centre after a resize. */
export function keepCentre(
  viewport: { scrollLeft: number; scrollTop: number; clientWidth: number; clientHeight: number },
  before: { width: number; height: number },
  after: { width: number; height: number },
): { left: number; top: number } {
  const cx = before.width > 0 ? (viewport.scrollLeft + viewport.clientWidth / 2) / before.width : 0.5;
  const cy = before.height > 0 ? (viewport.scrollTop + viewport.clientHeight / 2) / before.height : 0.5;
  return { left: Math.max(0, cx * after.width - viewport.clientWidth / 2), top: Math.max(0, cy * after.height - viewport.clientHeight / 2) };
}
