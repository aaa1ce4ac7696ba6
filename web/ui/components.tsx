import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { useI18n } from '../i18n/i18n.js';

/** Header with the product name and the language switch. */
export function PageHeader({ subtitle, children }: { subtitle?: string; children?: ComponentChildren }) {
  const { t, lang, setLang } = useI18n();
  return (
    <header class="page-header">
      <div>
        <span class="brand">{t('app.title')}</span>
        {subtitle && <span class="subtitle">{subtitle}</span>}
      </div>
      <div class="header-actions">
        {children}
        <button
          type="button"
          class="link-button"
          title={t('lang.label')}
          lang={lang === 'en' ? 'fr' : 'en'}
          onClick={() => setLang(lang === 'en' ? 'fr' : 'en')}
        >
          {t('lang.switch')}
        </button>
      </div>
    </header>
  );
}

/** A message for the user; errors are announced by screen readers as they appear. */
export function Notice({ kind, children, testId, id }: { kind: 'error' | 'info' | 'success'; children: ComponentChildren; testId?: string; id?: string }) {
  return (
    <div class={`notice notice-${kind}`} role={kind === 'error' ? 'alert' : 'status'} data-testid={testId} id={id}>
      {children}
    </div>
  );
}

/**
 * A modal dialog: focus moves into it when it opens, Tab stays inside, and the previously focused
 * element gets focus back when it closes.
 */
export function Dialog({ title, children, labelId }: { title: string; children: ComponentChildren; labelId: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    const focusables = () => [...(ref.current?.querySelectorAll<HTMLElement>('button, [href], input, select') ?? [])];
    focusables()[0]?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Tab') return;
      const items = focusables();
      if (items.length === 0) return;
      const first = items[0];
      const last = items[items.length - 1];
      if (event.shiftKey && document.activeElement === first) {
        last.focus();
        event.preventDefault();
      } else if (!event.shiftKey && document.activeElement === last) {
        first.focus();
        event.preventDefault();
      }
    };
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('keydown', onKey);
      previous?.focus?.();
    };
  }, []);
  return (
    <div class="dialog-backdrop">
      <div class="dialog" role="dialog" aria-modal="true" aria-labelledby={labelId} ref={ref}>
        <h2 id={labelId}>{title}</h2>
        {children}
      </div>
    </div>
  );
}

/** Plays a MediaStream in a <video>; srcObject cannot be set from JSX. */
export function StreamVideo({ stream, muted, testId, label }: { stream: MediaStream | null; muted?: boolean; testId?: string; label: string }) {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    if (ref.current && ref.current.srcObject !== stream) ref.current.srcObject = stream;
  }, [stream]);
  return <video ref={ref} class="screen" autoplay playsInline muted={muted} data-testid={testId} aria-label={label} />;
}

/** "3 min 05 s" style durations for waiting times. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const minutes = Math.floor(total / 60);
  const seconds = total % 60;
  return minutes > 0 ? `${minutes} min ${String(seconds).padStart(2, '0')} s` : `${seconds} s`;
}
