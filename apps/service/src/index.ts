export { runStandalone, standaloneSettings } from './run-standalone.js';
