import { runStandalone } from '@ticketing/common';
import { authSettings } from './config.js';
import { createAuthService } from './service.js';

// The auth service on its own: PORT, DATABASE_URL, NATS_URL, JWT_KEY and the settings in config.ts.
await runStandalone('auth', authSettings, createAuthService);
