export { runStandalone, standaloneSettings } from './run-standalone.js';
export {
  runService,
  standaloneServices,
  type StandaloneService,
  type StandaloneServiceName,
} from './standalone-services.js';
export {
  paymentProviderFrom,
  paymentProviderSettings,
  type PaymentProviderConfig,
} from './payment-provider.js';
export {
  bullMqSchedulerOf,
  expirationSchedulerSettings,
  reminderSchedulerSettings,
} from './schedulers.js';
