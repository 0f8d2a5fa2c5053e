export { createAuthService } from './service.js';
export { authSettings, type AuthConfig } from './config.js';
