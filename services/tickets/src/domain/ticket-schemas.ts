import { fromCents, priceSchema, type EventData, type Subjects } from '@ticketing/common';
import { z } from 'zod';
import type { TicketRecord, TicketWithSeller } from '../data/ticket-repository.js';

export const MAX_TITLE = 200;
export const MAX_DESCRIPTION = 5000;
export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 50;

const title = z
  .string({ message: 'Title is required' })
  .trim()
  .min(1, 'Title is required')
  .max(MAX_TITLE, `Title must be at most ${MAX_TITLE} characters`);

/** Optional; absent, null or blank all mean "no description". */
const description = z
  .string({ message: 'Description must be a string' })
  .trim()
  .max(MAX_DESCRIPTION, `Description must be at most ${MAX_DESCRIPTION} characters`)
  .nullish()
  .transform((d) => d || null);

/** The whole editable state of a ticket: the same body creates it (POST) and replaces it (PUT). */
export const ticketBody = z.object({ title, price: priceSchema, description });

export type TicketInput = z.infer<typeof ticketBody>;

/** A query parameter given once, as a string (`?a=1&a=2` is refused, not half-read). */
const single = (name: string) => z.string({ message: `${name} must be given once, as text` });

/** A whole number in [min, max] written in plain digits: `1e2`, `-1`, `1.5` and `abc` are refused. */
const wholeNumber = (name: string, min: number, max: number, message: string) =>
  single(name)
    .regex(/^\d+$/, message)
    .transform(Number)
    .pipe(z.number().int().min(min, message).max(max, message));

export const listTicketsQuery = z.object({
  limit: wholeNumber(
    'Limit',
    1,
    MAX_PAGE_SIZE,
    `Limit must be a whole number from 1 to ${MAX_PAGE_SIZE}`,
  ).default(DEFAULT_PAGE_SIZE),
  offset: wholeNumber(
    'Offset',
    0,
    Number.MAX_SAFE_INTEGER,
    'Offset must be a whole number of 0 or more',
  ).default(0),
  q: single('q')
    .trim()
    .max(MAX_TITLE, `q must be at most ${MAX_TITLE} characters`)
    .optional()
    .transform((q) => q || undefined),
  userId: single('userId')
    .trim()
    .min(1, 'userId must not be empty')
    .max(200, 'userId must be at most 200 characters')
    .optional(),
});

export type ListTicketsQuery = z.infer<typeof listTicketsQuery>;

/** What the API shows of a ticket: the price back in currency units, the seller's public name. */
export interface TicketView {
  id: string;
  title: string;
  description: string | null;
  price: number;
  userId: string;
  orderId: string | null;
  status: TicketRecord['status'];
  version: number;
  seller: { id: string; name: string | null };
}

export const toTicketView = (t: TicketWithSeller): TicketView => ({
  id: t.id,
  title: t.title,
  description: t.description,
  price: fromCents(t.price),
  userId: t.userId,
  orderId: t.orderId,
  status: t.status,
  version: t.version,
  seller: { id: t.userId, name: t.sellerName },
});

/** The ticket:created / ticket:updated payload: the full state, price in cents. */
export const toTicketEvent = (t: TicketRecord): EventData<typeof Subjects.TicketUpdated> => ({
  id: t.id,
  title: t.title,
  price: t.price,
  userId: t.userId,
  status: t.status,
  orderId: t.orderId,
  version: t.version,
});
