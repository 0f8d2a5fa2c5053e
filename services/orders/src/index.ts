export { createOrdersService } from './service.js';
export { ordersSettings, type OrdersConfig } from './config.js';
export { describeOrdersApi } from './routes/orders-api-docs.js';
