import { useState } from 'preact/hooks';
import type { Transfer } from '../files/file-transfers.js';
import { isFinal } from '../files/file-transfers.js';
import { useI18n, type StringKey } from '../i18n/i18n.js';
import type { SessionTools } from '../activity/session-tools.js';
import { formatBytes } from '../files/transfer-rate.js';
import { saveBlob } from './save-blob.js';


function TransferRow({ transfer, tools, peerName }: { transfer: Transfer; tools: SessionTools; peerName: string }) {
  const { t } = useI18n();
  const running = transfer.state === 'transferring' || transfer.state === 'accepted';
  const percent = transfer.size > 0 ? Math.floor((transfer.bytes / transfer.size) * 100) : 100;
  const left = transfer.secondsLeft === null ? '…' : `${Math.ceil(transfer.secondsLeft)} s`;
  return (
    <li class="transfer" data-testid="transfer" data-direction={transfer.direction} data-state={transfer.state} data-name={transfer.name} data-interrupted={transfer.interrupted ? 'true' : undefined} data-quiet={transfer.quietSeconds}>
      <div class="transfer-head">
        <span aria-hidden="true">{transfer.direction === 'out' ? '↑' : '↓'}</span>
        <strong class="transfer-name" dir="ltr">{transfer.name}</strong>
        {transfer.direction === 'in' && (
          <span class="file-extension" data-testid="file-extension">{transfer.extension ? t('tools.files.extension', { extension: transfer.extension }) : t('tools.files.noExtension')}</span>
        )}
        <span class="muted">{formatBytes(transfer.size)} · {transfer.direction === 'in' ? t('tools.files.declared', { mime: transfer.mime || '—' }) : transfer.mime}</span>
      </div>
      {(running || transfer.state === 'verifying') && (
        <>
          <progress max={100} value={percent} aria-label={transfer.name} />
          <div class={transfer.interrupted || transfer.quietSeconds !== undefined ? 'transfer-interrupted' : 'muted'} role={transfer.interrupted ? 'status' : undefined}>
            {transfer.state === 'verifying'
              ? t('tools.files.verifying')
              : transfer.interrupted
                ? t('tools.files.interrupted', { peer: peerName })
                : transfer.quietSeconds !== undefined
                  ? t('tools.files.quiet', { seconds: transfer.quietSeconds })
                  : t('tools.files.progress', { done: formatBytes(transfer.bytes), total: formatBytes(transfer.size), speed: formatBytes(transfer.bytesPerSecond), left })}
          </div>
        </>
      )}
      {transfer.state === 'offered' && (
        <div class="muted">{transfer.direction === 'out' ? t('tools.files.waitingAccept', { peer: peerName }) : t('tools.files.offeredToYou', { peer: peerName })}</div>
      )}
      {isFinal(transfer.state) && (
        <div class={`transfer-state ${transfer.state}`} data-testid="transfer-state" data-reason={transfer.failReason ?? ''}>
          {transfer.failReason === 'pageReloaded' ? t('tools.files.state.interruptedByReload') : t(`tools.files.state.${transfer.state}` as StringKey)}
        </div>
      )}
      <div class="actions compact">
        {transfer.direction === 'in' && transfer.state === 'offered' && (
          <>
            <button type="button" class="primary" onClick={() => void tools.transfers.accept(transfer.id)} data-testid="accept-file">{t('tools.files.accept')}</button>
            <button type="button" class="secondary" onClick={() => tools.transfers.decline(transfer.id)} data-testid="decline-file">{t('tools.files.decline')}</button>
          </>
        )}
        {!isFinal(transfer.state) && !(transfer.direction === 'in' && transfer.state === 'offered') && (
          <button type="button" class="secondary" onClick={() => tools.transfers.cancel(transfer.id)} data-testid="cancel-file">{t('tools.files.cancel')}</button>
        )}
        {transfer.direction === 'in' && transfer.state === 'done' && transfer.blob && (
          <button type="button" class="primary" onClick={() => saveBlob(transfer.blob!, transfer.name)} data-testid="save-file">{t('tools.files.save')}</button>
        )}
      </div>
    </li>
  );
}

/** Offer files (button or drag and drop), accept or decline what the other side offers, follow progress. */
export function FilesPanel({ tools, peerName, readOnly }: { tools: SessionTools; peerName: string; readOnly: boolean }) {
  const { t } = useI18n();
  const [dragging, setDragging] = useState(false);
  const offer = (files: FileList | null | undefined) => {
    if (files && files.length > 0) tools.transfers.offer([...files]);
  };
  return (
    <section
      class={`panel files${dragging ? ' dragging' : ''}`}
      aria-labelledby="files-title"
      data-testid="files"
      onDragOver={(e) => { e.preventDefault(); setDragging(true); }}
      onDragLeave={() => setDragging(false)}
      onDrop={(e) => { e.preventDefault(); setDragging(false); if (!readOnly) offer(e.dataTransfer?.files); }}
    >
      <h3 id="files-title">{t('tools.files.title')}</h3>
      {!readOnly && <div class="drop-zone">
        <label class="button secondary" for="file-input">{t('tools.files.pick')}</label>
        <input id="file-input" class="visually-hidden" type="file" multiple data-testid="file-input"
          onChange={(e) => { offer((e.target as HTMLInputElement).files); (e.target as HTMLInputElement).value = ''; }} />
        <span class="muted">{t('tools.files.drop')}</span>
      </div>}
      <ul class="transfers">
        {tools.allTransfers().slice().reverse().map((transfer) => (
          <TransferRow key={transfer.id} transfer={transfer} tools={tools} peerName={peerName} />
        ))}
      </ul>
      <p class="muted small">{t('tools.files.sessionOnly', { peer: peerName })}</p>
    </section>
  );
}
