import { render } from 'preact';
import { removeOrphanedFiles } from '../files/session-files.js';
import { AnalystApp } from './AnalystApp.js';

render(<AnalystApp />, document.getElementById('app')!);
// Received files of sessions whose page crashed or was closed: no page holds them any more.
void removeOrphanedFiles();
