import { render } from 'preact';
import { AnalystApp } from './AnalystApp.js';

render(<AnalystApp />, document.getElementById('app')!);
