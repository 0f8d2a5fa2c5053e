import {
  notificationsStandaloneSettings,
  createNotificationsService,
} from '@ticketing/notifications';
import { runStandalone } from './run-standalone.js';

// The notifications service on its own: PORT, DATABASE_URL, NATS_URL, JWT_KEY, REDIS_URL for the
// reminders' BullMQ delayed jobs, SMTP_URL for mail, and the other settings in services/notifications/src/config.ts.
await runStandalone('notifications', notificationsStandaloneSettings, createNotificationsService);
