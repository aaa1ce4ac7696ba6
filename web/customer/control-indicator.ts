/**
 * The always-on-top "Stop control" window (Document Picture-in-Picture, Chrome/Edge 116+). It must
 * be opened from a click (the customer's "Allow control"); elsewhere the in-page banner and the
 * helper's own output are the indicators.
 */
export interface ControlIndicator {
  update(text: string): void;
  close(): void;
}

interface DocumentPip {
  requestWindow(options: { width: number; height: number }): Promise<Window>;
}

export async function openControlIndicator(text: string, stopLabel: string, onStop: () => void): Promise<ControlIndicator | null> {
  const pip = (window as unknown as { documentPictureInPicture?: DocumentPip }).documentPictureInPicture;
  if (!pip) return null;
  let win: Window;
  try {
    win = await pip.requestWindow({ width: 320, height: 110 });
  } catch {
    return null;
  }
  const doc = win.document;
  const style = doc.createElement('link');
  style.rel = 'stylesheet';
  style.href = '/assets/app.css';
  doc.head.append(style);
  doc.body.className = 'pip-indicator';
  const label = doc.createElement('p');
  label.textContent = text;
  const button = doc.createElement('button');
  button.type = 'button';
  button.className = 'danger';
  button.textContent = stopLabel;
  button.addEventListener('click', () => onStop());
  doc.body.append(label, button);
  return {
    update: (next) => void (label.textContent = next),
    close: () => win.close(),
  };
}
