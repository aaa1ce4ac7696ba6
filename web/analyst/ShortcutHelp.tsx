import { useEffect } from 'preact/hooks';
import { Dialog } from '../ui/components.js';
import { useI18n, type StringKey } from '../i18n/i18n.js';
import { SHORTCUT_HELP } from './shortcuts.js';

/** "?": the console's keyboard shortcuts. Escape or Close closes it, and the focus goes back. */
export function ShortcutHelp({ onClose }: { onClose: () => void }) {
  const { t } = useI18n();
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') onClose();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [onClose]);
  return (
    <Dialog title={t('shortcuts.title')} labelId="shortcuts-title">
      <table class="shortcuts" data-testid="shortcuts-help">
        <tbody>
          {SHORTCUT_HELP.map(({ action, keys }) => (
            <tr key={action}>
              <td><kbd>{keys}</kbd></td>
              <td>{t(`shortcuts.${action}` as StringKey)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p class="muted small">{t('shortcuts.note')}</p>
      <div class="actions">
        <button type="button" class="primary" onClick={onClose}>{t('shortcuts.close')}</button>
      </div>
    </Dialog>
  );
}
