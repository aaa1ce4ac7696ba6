/**
 * Where a point on a <video> element falls on the picture itself, normalised to 0..1. The browser
 * letterboxes the picture (object-fit: contain), so the bars are outside it (null). Pure: tested in Node.
 */
export function normalisedPoint(
  point: { x: number; y: number },
  box: { left: number; top: number; width: number; height: number },
  picture: { width: number; height: number },
): { x: number; y: number } | null {
  if (picture.width <= 0 || picture.height <= 0 || box.width <= 0 || box.height <= 0) return null;
  const scale = Math.min(box.width / picture.width, box.height / picture.height);
  const shownWidth = picture.width * scale;
  const shownHeight = picture.height * scale;
  const x = (point.x - box.left - (box.width - shownWidth) / 2) / shownWidth;
  const y = (point.y - box.top - (box.height - shownHeight) / 2) / shownHeight;
  if (x < 0 || x > 1 || y < 0 || y > 1) return null;
  return { x, y };
}

/** Wheel deltas (pixels or lines) → a few notches, at least one in the direction scrolled. */
export function wheelSteps(delta: number, deltaMode: number): number {
  if (delta === 0) return 0;
  const lines = deltaMode === 1 ? delta : delta / 100;
  const steps = Math.round(Math.abs(lines)) || 1;
  return Math.sign(delta) * Math.min(10, steps);
}
