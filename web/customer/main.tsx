import { render } from 'preact';
import { CustomerApp } from './CustomerApp.js';

render(<CustomerApp />, document.getElementById('app')!);
