import { useEffect, useRef, useState } from 'preact/hooks';
import type { ComponentChildren } from 'preact';
import type { Emitter } from '../emitter.js';
import { useI18n } from '../i18n/i18n.js';
import type { ShortcutAction } from './shortcuts.js';
import { fitScale, keepCentre, stepZoom, videoSize, type Zoom } from './viewer-zoom.js';

export type ShortcutBus = Emitter<{ action: [ShortcutAction] }>;

/**
 * The customer's screen as the analyst looks at it: fit, 100 % or a zoom step, panned by
 * scrolling (scroll bars, wheel, touchpad; while controlling, the wheel goes to the customer),
 * and full screen. The remote screen inside keeps mapping points on the video itself, so clicks
 * land where they should at any zoom.
 */
export function RemoteViewer({ children, shortcuts, onHelp }: { children: ComponentChildren; shortcuts: ShortcutBus; onHelp: () => void }) {
  const { t } = useI18n();
  const wrapper = useRef<HTMLDivElement>(null);
  const viewport = useRef<HTMLDivElement>(null);
  const [zoom, setZoom] = useState<Zoom>({ mode: 'fit' });
  const [fullScreen, setFullScreen] = useState(false);
  const [picture, setPicture] = useState({ width: 0, height: 0 });
  const video = () => viewport.current?.querySelector('video') ?? null;

  useEffect(() => {
    const element = video();
    if (!element) return;
    const measure = () => setPicture({ width: element.videoWidth, height: element.videoHeight });
    measure();
    element.addEventListener('resize', measure);
    element.addEventListener('loadedmetadata', measure);
    return () => {
      element.removeEventListener('resize', measure);
      element.removeEventListener('loadedmetadata', measure);
    };
  }, []);

  // The video's size follows the zoom; the point at the centre of the view stays there.
  useEffect(() => {
    const element = video();
    const box = viewport.current;
    if (!element || !box) return;
    const before = { width: element.clientWidth, height: element.clientHeight };
    const size = videoSize(zoom, picture, devicePixelRatio);
    element.style.width = size ? `${size.width}px` : '';
    element.style.height = size ? `${size.height}px` : '';
    element.style.maxWidth = size ? 'none' : '';
    element.style.maxHeight = size ? 'none' : '';
    const centre = keepCentre(box, before, { width: element.clientWidth, height: element.clientHeight });
    box.scrollTo(centre.left, centre.top);
  }, [zoom, picture]);

  useEffect(() => {
    const onChange = () => setFullScreen(document.fullscreenElement === wrapper.current);
    document.addEventListener('fullscreenchange', onChange);
    return () => document.removeEventListener('fullscreenchange', onChange);
  }, []);

  const currentFit = () => {
    const element = video();
    return fitScale(picture, { width: element?.clientWidth ?? 0, height: element?.clientHeight ?? 0 }, devicePixelRatio);
  };
  const step = (direction: 'in' | 'out') => setZoom((z) => stepZoom(z, direction, z.mode === 'fit' ? currentFit() : 1));
  const toggleFullScreen = () => {
    if (document.fullscreenElement) void document.exitFullscreen().catch(() => undefined);
    else void wrapper.current?.requestFullscreen().catch(() => undefined);
  };

  useEffect(() => shortcuts.on('action', (action) => {
    if (action === 'fullScreen') toggleFullScreen();
    else if (action === 'zoomFit') setZoom({ mode: 'fit' });
    else if (action === 'zoomActual') setZoom({ mode: 'scale', scale: 1 });
    else if (action === 'zoomIn') step('in');
    else if (action === 'zoomOut') step('out');
  }), [shortcuts, picture]);

  const label = zoom.mode === 'fit' ? t('viewer.fit') : `${Math.round(zoom.scale * 100)} %`;
  return (
    <div class={`viewer${fullScreen ? ' full' : ''}`} ref={wrapper} data-testid="viewer" data-zoom={zoom.mode === 'fit' ? 'fit' : zoom.scale} data-full-screen={String(fullScreen)}>
      <div class="viewer-bar" role="toolbar" aria-label={t('viewer.toolbar')}>
        <button type="button" class="secondary" aria-pressed={zoom.mode === 'fit'} onClick={() => setZoom({ mode: 'fit' })} data-testid="zoom-fit">{t('viewer.fit')}</button>
        <button type="button" class="secondary" aria-pressed={zoom.mode === 'scale' && zoom.scale === 1} onClick={() => setZoom({ mode: 'scale', scale: 1 })} data-testid="zoom-actual">100 %</button>
        <button type="button" class="secondary" onClick={() => step('out')} aria-label={t('viewer.zoomOut')} data-testid="zoom-out">−</button>
        <span class="zoom-level" aria-live="polite" data-testid="zoom-level">{label}</span>
        <button type="button" class="secondary" onClick={() => step('in')} aria-label={t('viewer.zoomIn')} data-testid="zoom-in">+</button>
        <button type="button" class="secondary" onClick={toggleFullScreen} data-testid="full-screen">{fullScreen ? t('viewer.exitFullScreen') : t('viewer.fullScreen')}</button>
        <button type="button" class="link-button" onClick={onHelp} aria-label={t('shortcuts.title')} data-testid="shortcuts-help-open">?</button>
      </div>
      <div class="viewport" ref={viewport} data-testid="viewport">{children}</div>
    </div>
  );
}
