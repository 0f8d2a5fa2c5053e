import { runStandalone } from '@ticketing/common';
import { notificationsStandaloneSettings } from './config.js';
import { createNotificationsService } from './service.js';

// The notifications service on its own: PORT, DATABASE_URL, NATS_URL, JWT_KEY, REDIS_URL for the
// reminders' BullMQ delayed jobs, SMTP_URL for mail, and the other settings in config.ts.
await runStandalone('notifications', notificationsStandaloneSettings, createNotificationsService);
