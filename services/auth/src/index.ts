export { createAuthService } from './service.js';
export { authSettings, type AuthConfig } from './config.js';
export { describeUsersApi } from './routes/users-api-docs.js';
