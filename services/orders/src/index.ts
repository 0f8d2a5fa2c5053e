export { createOrdersService } from './service.js';
export { ordersSettings, type OrdersConfig } from './config.js';
