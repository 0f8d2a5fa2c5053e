import { envVar } from '@ticketing/common';
import { z } from 'zod';

/** Every setting the tickets service reads, with its default. */
export const ticketsSettings = {
  JWT_KEY: envVar.jwtKey(),
};

export type TicketsConfig = z.infer<z.ZodObject<typeof ticketsSettings>>;
