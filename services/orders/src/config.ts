import { envVar } from '@ticketing/common';
import { z } from 'zod';

/** Every setting the orders service reads, with its default. */
export const ordersSettings = {
  JWT_KEY: envVar.jwtKey(),
  RESERVATION_WINDOW_SECONDS: envVar
    .positiveInt(15 * 60)
    .describe('how long a new order holds its ticket before the hold lapses'),
};

export type OrdersConfig = z.infer<z.ZodObject<typeof ordersSettings>>;
