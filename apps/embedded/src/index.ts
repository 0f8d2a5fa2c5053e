export { startEmbedded, type EmbeddedApp, type EmbeddedOptions } from './embedded-app.js';
