export {
  createNotificationsService,
  type NotificationsDeps,
  type NotificationsServiceOptions,
} from './service.js';
export { notificationsSettings, type NotificationsConfig } from './config.js';
export { describeNotificationsApi } from './routes/notifications-api-docs.js';
