import { render } from 'preact';
import { SessionHistory } from '../activity/session-history.js';
import { removeOrphanedFiles } from '../files/session-files.js';
import { AnalystApp } from './AnalystApp.js';

render(<AnalystApp />, document.getElementById('app')!);
// Received files of sessions whose page crashed or was closed: no page holds them any more.
// Files of sessions kept for a reload stay (session-history.ts); the others' go.
void removeOrphanedFiles(undefined, undefined, new SessionHistory().purge());
