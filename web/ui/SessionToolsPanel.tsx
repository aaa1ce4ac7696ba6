import type { Role } from '../../protocol/index.js';
import { ChatPanel } from './ChatPanel.js';
import { FilesPanel } from './FilesPanel.js';
import { PushLinkForm } from './PushLinkForm.js';
import type { SessionTools } from '../activity/session-tools.js';

/** Chat and activity log, files, and (for the analyst) links: everything peer to peer. */
export function SessionToolsPanel({ tools, role, peerName, readOnly = false }: { tools: SessionTools; role: Role; peerName: string; readOnly?: boolean }) {
  return (
    <div class="tools" data-testid="session-tools" data-readonly={String(readOnly)}>
      <ChatPanel tools={tools} peerName={peerName} readOnly={readOnly} />
      <FilesPanel tools={tools} peerName={peerName} readOnly={readOnly} />
      {role === 'analyst' && !readOnly && <PushLinkForm tools={tools} />}
    </div>
  );
}
