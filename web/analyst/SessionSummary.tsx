import { formatDuration } from '../ui/components.js';
import { saveBlob } from '../ui/save-blob.js';
import { useI18n } from '../i18n/i18n.js';
import type { SessionTools } from '../activity/session-tools.js';
import { formatBytes } from '../files/transfer-rate.js';

/**
 * What happened in the session, for the analyst's records: built in this browser from what it saw,
 * never sent to the server; the analyst may download it as a text file.
 */
export function SessionSummary({ name, startedAt, endedAt, tools, rating }: {
  name: string;
  startedAt: number;
  endedAt: number;
  tools: SessionTools | null;
  rating?: { score: number; comment?: string };
}) {
  const { t, lang } = useI18n();
  const files = (tools?.allTransfers() ?? []).filter((f) => f.state === 'done');
  const links = (tools?.timeline ?? []).flatMap((e) => (e.kind === 'pushedLink' && e.from === 'me' ? [e] : []));
  const duration = formatDuration(endedAt - startedAt);
  const lines = [
    `${t('summary.title')}: ${name}`,
    `${new Date(startedAt).toLocaleString(lang)} – ${new Date(endedAt).toLocaleTimeString(lang)}`,
    t('summary.duration', { duration }),
    '',
    `${t('summary.files')}:`,
    ...(files.length ? files.map((f) => `  ${f.direction === 'out' ? '→' : '←'} ${f.name} (${formatBytes(f.size)})`) : [`  ${t('summary.none')}`]),
    `${t('summary.links')}:`,
    ...(links.length ? links.map((l) => `  ${l.url}${l.opened ? ' ✓' : ''}`) : [`  ${t('summary.none')}`]),
    ...(rating ? ['', t('summary.rating', { score: rating.score }), ...(rating.comment ? [`  “${rating.comment}”`] : [])] : []),
  ];
  const download = () => {
    saveBlob(new Blob([lines.join('\n') + '\n'], { type: 'text/plain;charset=utf-8' }), `session-${new Date(startedAt).toISOString().slice(0, 16).replace(/[:T]/g, '-')}.txt`);
  };
  return (
    <section class="panel" aria-labelledby="summary-title" data-testid="session-summary">
      <h3 id="summary-title">{t('summary.title')}</h3>
      <p>{t('summary.duration', { duration })}</p>
      <h4>{t('summary.files')}</h4>
      <ul data-testid="summary-files">
        {files.length ? files.map((f) => <li key={f.id}>{f.direction === 'out' ? '→' : '←'} {f.name} ({formatBytes(f.size)})</li>) : <li>{t('summary.none')}</li>}
      </ul>
      <h4>{t('summary.links')}</h4>
      <ul data-testid="summary-links">
        {links.length ? links.map((l) => <li key={l.id}>{l.url}{l.opened ? ' ✓' : ''}</li>) : <li>{t('summary.none')}</li>}
      </ul>
      <div data-testid="summary-rating" data-score={rating?.score ?? ''} aria-live="polite">
        {rating ? (
          <>
            <h4>{t('summary.rating', { score: rating.score })}</h4>
            {rating.comment && <blockquote class="problem" data-testid="summary-rating-comment">{rating.comment}</blockquote>}
          </>
        ) : (
          <p class="muted small">{t('summary.noRating')}</p>
        )}
      </div>
      <button type="button" class="secondary" onClick={download} data-testid="summary-download">{t('summary.export')}</button>
      <p class="muted small">{t('summary.kept')}</p>
    </section>
  );
}
