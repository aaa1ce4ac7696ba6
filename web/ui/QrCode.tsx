import qrcode from 'qrcode-generator';

/**
 * A QR code drawn in the page (qrcode-generator; nothing leaves the browser): one SVG path of
 * dark modules with a four-module quiet zone, black on white whatever the theme, so phones read it.
 */
export function QrCode({ text, label, size = 200, testId }: { text: string; label: string; size?: number; testId?: string }) {
  const qr = qrcode(0, 'M');
  qr.addData(text);
  qr.make();
  const count = qr.getModuleCount();
  const quiet = 4;
  let path = '';
  for (let row = 0; row < count; row++) {
    for (let col = 0; col < count; col++) if (qr.isDark(row, col)) path += `M${col + quiet} ${row + quiet}h1v1h-1z`;
  }
  const side = count + quiet * 2;
  return (
    <svg class="qr" role="img" aria-label={label} width={size} height={size} viewBox={`0 0 ${side} ${side}`} shape-rendering="crispEdges" data-testid={testId}>
      <rect width={side} height={side} fill="#fff" />
      <path d={path} fill="#000" />
    </svg>
  );
}
