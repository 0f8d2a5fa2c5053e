export { createPaymentsService, type PaymentsServiceOptions } from './service.js';
export { paymentsSettings, type PaymentsConfig } from './config.js';
export { createPaymentProvider } from './provider.js';
export { describePaymentsApi } from './routes/payments-api-docs.js';
