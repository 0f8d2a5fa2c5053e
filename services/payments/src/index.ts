export { createPaymentsService, type PaymentsDeps } from './service.js';
export { paymentsSettings, type PaymentsConfig } from './config.js';
export { describePaymentsApi } from './routes/payments-api-docs.js';
