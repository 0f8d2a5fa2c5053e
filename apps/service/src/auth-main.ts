import { authSettings, createAuthService } from '@ticketing/auth';
import { runStandalone } from './run-standalone.js';

// The auth service on its own: PORT, DATABASE_URL, NATS_URL, JWT_KEY and the settings in services/auth/src/config.ts.
await runStandalone('auth', authSettings, createAuthService);
