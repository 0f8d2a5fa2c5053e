export { createExpirationService, type ExpirationDeps } from './service.js';
export { expirationSettings, type ExpirationConfig } from './config.js';
