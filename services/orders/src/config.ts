import { envVar } from '@ticketing/common';
import { z } from 'zod';

/** Every setting the orders service reads, with its default. */
export const ordersSettings = {
  JWT_KEY: envVar.jwtKey(),
  RESERVATION_WINDOW_SECONDS: envVar
    .positiveInt(15 * 60)
    .describe('how long a new order holds its ticket before the hold lapses'),
  MAX_ACTIVE_ORDERS_PER_USER: envVar
    .positiveInt(5)
    .describe('unpaid reservations one buyer may hold at once; one more is a 429'),
  ORDERS_PER_MINUTE_PER_USER: envVar
    .positiveInt(20)
    .describe('orders one buyer may try to create per minute; more are a 429'),
};

export type OrdersConfig = z.infer<z.ZodObject<typeof ordersSettings>>;
