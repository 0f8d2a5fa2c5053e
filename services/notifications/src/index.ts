export {
  createNotificationsService,
  reminderScheduler,
  type NotificationsServiceOptions,
} from './service.js';
export {
  notificationsSettings,
  notificationsStandaloneSettings,
  type NotificationsConfig,
} from './config.js';
export { describeNotificationsApi } from './routes/notifications-api-docs.js';
