import { render } from 'preact';
import { removeOrphanedFiles } from '../files/session-files.js';
import { CustomerApp } from './CustomerApp.js';

render(<CustomerApp />, document.getElementById('app')!);
// Received files of sessions whose page crashed or was closed: no page holds them any more.
void removeOrphanedFiles();
