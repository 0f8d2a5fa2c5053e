export {
  createExpirationService,
  expirationScheduler,
  type ExpirationServiceOptions,
} from './service.js';
export {
  expirationSettings,
  expirationStandaloneSettings,
  type ExpirationConfig,
} from './config.js';
