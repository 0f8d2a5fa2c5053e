import {
  MAX_PRICE,
  fromCents,
  limitDocs,
  offsetDocs,
  priceSchema,
  toCents,
  type EventData,
  type Subjects,
  whenFieldsValid,
} from '@ticketing/common';
import { z } from 'zod';
import type { TicketRecord, TicketSort, TicketWithSeller } from '../data/ticket-repository.js';

export const MAX_TITLE = 200;
export const MAX_DESCRIPTION = 5000;
export const MAX_VENUE = 200;
export const MIN_CODE = 4;
export const MAX_CODE = 200;
/** How far ahead an event may be listed. */
export const MAX_YEARS_AHEAD = 2;
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

const venue = z
  .string({ message: 'Venue is required' })
  .trim()
  .min(1, 'Venue is required')
  .max(MAX_VENUE, `Venue must be at most ${MAX_VENUE} characters`);

/** The latest start a listing may have: two calendar years from now. */
const latestStart = (now: Date): Date => {
  const latest = new Date(now);
  latest.setUTCFullYear(latest.getUTCFullYear() + MAX_YEARS_AHEAD);
  return latest;
};

/** When the event starts: an ISO-8601 time with its offset, after now, at most 2 years ahead. */
const startsAt = z
  // A blank field (the storefront's date left empty) is missing, not malformed.
  .string({ message: 'Start time is required: the date and time the event starts' })
  .min(1, 'Start time is required: the date and time the event starts')
  .pipe(
    z.iso.datetime({
      offset: true,
      message: 'Start time must be an ISO-8601 date and time, e.g. 2027-06-01T19:30:00Z',
    }),
  )
  .transform((text) => new Date(text))
  .refine((at) => at.getTime() > Date.now(), 'Start time must be in the future')
  .refine(
    (at) => at.getTime() <= latestStart(new Date()).getTime(),
    `Start time must be at most ${MAX_YEARS_AHEAD} years ahead`,
  )
  .meta({
    format: 'date-time',
    description: `When the event starts: ISO-8601 with an offset, in the future, at most ${MAX_YEARS_AHEAD} years ahead`,
    example: '2027-06-01T19:30:00Z',
  });

/** Optional; absent, null or blank all mean "no code". Never logged, never in an event. */
const code = z
  .string({ message: 'Code must be a string' })
  .trim()
  .nullish()
  .transform((c) => c || null)
  .refine(
    (c) => c === null || (c.length >= MIN_CODE && c.length <= MAX_CODE),
    `Code must be from ${MIN_CODE} to ${MAX_CODE} characters`,
  )
  .meta({
    description: `The ticket's barcode or transfer reference (${MIN_CODE}–${MAX_CODE} characters), shown only to the seller and, after payment, to the buyer`,
  });

/** The whole editable state of a ticket: the same body creates it (POST) and replaces it (PUT). */
export const ticketBody = z.object({
  title,
  price: priceSchema,
  description,
  venue,
  startsAt,
  code,
});

export type TicketInput = z.infer<typeof ticketBody>;

/** A query parameter given once, as a string (`?a=1&a=2` is refused, not half-read). */
const single = (name: string) => z.string({ message: `${name} must be given once, as text` });

/** A whole number in [min, max] written in plain digits: `1e2`, `-1`, `1.5` and `abc` are refused. */
const wholeNumber = (name: string, min: number, max: number, message: string) =>
  single(name)
    .regex(/^\d+$/, message)
    .transform(Number)
    .pipe(z.number().int().min(min, message).max(max, message));

export const TICKET_SORTS = [
  'newest',
  'soonest',
  'price',
  '-price',
] as const satisfies TicketSort[];

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * A bound of `startsAt`: an ISO date and time, or a bare ISO date meaning that whole day in UTC
 * (`from=2027-05-01` starts at its midnight, `to=2027-05-31` takes in the 31st).
 */
const dateBound = (name: string, edge: 'start' | 'end') =>
  single(name)
    .refine(
      (text) =>
        z.iso.date().safeParse(text).success ||
        z.iso.datetime({ offset: true }).safeParse(text).success,
      `${name} must be an ISO-8601 date or date and time`,
    )
    .transform((text) => {
      if (text.length > 10) return new Date(text);
      const midnight = new Date(`${text}T00:00:00Z`);
      return edge === 'start' ? midnight : new Date(midnight.getTime() + DAY_MS - 1);
    });

/** A price bound in currency units, at most 2 decimals, compared in cents. */
const priceBound = (name: string) =>
  single(name)
    .regex(/^\d{1,7}(\.\d{1,2})?$/, `${name} must be a price in currency units, like 25 or 19.99`)
    .transform(Number)
    .pipe(z.number().max(MAX_PRICE, `${name} must be at most ${MAX_PRICE.toLocaleString('en-US')}`))
    .transform(toCents);

export const listTicketsQuery = z
  .object({
    limit: wholeNumber(
      'Limit',
      1,
      MAX_PAGE_SIZE,
      `Limit must be a whole number from 1 to ${MAX_PAGE_SIZE}`,
    )
      .default(DEFAULT_PAGE_SIZE)
      .meta(limitDocs),
    offset: wholeNumber(
      'Offset',
      0,
      Number.MAX_SAFE_INTEGER,
      'Offset must be a whole number of 0 or more',
    )
      .default(0)
      .meta(offsetDocs),
    q: single('q')
      .trim()
      .max(MAX_TITLE, `q must be at most ${MAX_TITLE} characters`)
      .optional()
      .transform((q) => q || undefined)
      .meta({ description: 'Part of the title or venue, any case' }),
    userId: single('userId')
      .trim()
      .min(1, 'userId must not be empty')
      .max(200, 'userId must be at most 200 characters')
      .optional()
      .meta({ description: "A seller's listings, in any status" }),
    from: dateBound('from', 'start').optional().meta({
      description: 'Events starting at or after: an ISO date (that day in UTC) or date and time',
    }),
    to: dateBound('to', 'end').optional().meta({
      description: 'Events starting at or before: an ISO date (that whole day) or date and time',
    }),
    minPrice: priceBound('minPrice')
      .optional()
      .meta({ description: 'Lowest price, in currency units' }),
    maxPrice: priceBound('maxPrice')
      .optional()
      .meta({ description: 'Highest price, in currency units' }),
    sort: single('sort')
      .pipe(z.enum(TICKET_SORTS, { message: `sort must be one of ${TICKET_SORTS.join(', ')}` }))
      .default('newest')
      .meta({ type: 'string', enum: [...TICKET_SORTS], default: 'newest' }),
  })
  .refine((q) => !q.from || !q.to || q.from.getTime() <= q.to.getTime(), {
    message: 'The last day (to) must not be before the first (from)',
    path: ['to'],
    when: whenFieldsValid,
  })
  .refine((q) => q.minPrice === undefined || q.maxPrice === undefined || q.minPrice <= q.maxPrice, {
    message: 'The highest price (maxPrice) must not be below the lowest (minPrice)',
    path: ['maxPrice'],
    when: whenFieldsValid,
  });

export type ListTicketsQuery = z.infer<typeof listTicketsQuery>;

/** What the API shows of a ticket: the price back in currency units, the seller's public name. */
export const ticketViewSchema = z
  .object({
    id: z.string(),
    title: z.string(),
    description: z.string().nullable(),
    price: z.number().meta({ description: 'In currency units, at most 2 decimals' }),
    venue: z.string().nullable(),
    startsAt: z.iso.datetime().nullable().meta({
      description: 'When the event starts, in UTC; null only for first-release listings',
    }),
    code: z.string().nullable().optional().meta({
      description:
        "The ticket's barcode or transfer reference: only in GET /api/tickets/{id}, and only to its seller or to the buyer whose order for it completed",
    }),
    userId: z.string().meta({ description: 'The seller' }),
    orderId: z
      .string()
      .nullable()
      .meta({ description: 'The reserving order; null when available' }),
    status: z.enum([
      'available',
      'reserved',
      'sold',
      'withdrawn',
    ] satisfies TicketRecord['status'][]),
    version: z.number().int(),
    seller: z.object({
      id: z.string(),
      name: z.string().nullable().meta({ description: "The seller's public name, once known" }),
    }),
  })
  .meta({ id: 'Ticket' });

export type TicketView = z.infer<typeof ticketViewSchema>;

/** A sale as API.md's Sales section shows it: amount in currency units, times ISO in UTC. */
export const saleViewSchema = z
  .object({
    ticket: z.object({
      id: z.string(),
      title: z.string(),
      venue: z.string().nullable(),
      startsAt: z.iso.datetime().nullable(),
    }),
    orderId: z.string(),
    buyer: z.object({
      id: z.string(),
      name: z.string().nullable().meta({
        description: "The buyer's public name; null for the moment before it has reached tickets",
      }),
    }),
    amount: z.number().meta({ description: 'What the buyer paid, in currency units' }),
    soldAt: z.iso.datetime(),
  })
  .meta({ id: 'Sale' });

export type SaleView = z.infer<typeof saleViewSchema>;

/**
 * Who may read a ticket's code: its seller, and the buyer whose order for it completed (the
 * ticket is then sold and remembers the buyer from order:created). Nobody else, and never a list.
 */
export const mayReadCode = (t: TicketRecord, viewerId: string | undefined): boolean =>
  viewerId !== undefined &&
  (viewerId === t.userId || (t.status === 'sold' && t.buyerId === viewerId));

/** The public view; `viewerId` adds the code when that viewer may read it (single ticket only). */
export const toTicketView = (t: TicketWithSeller, viewerId?: string): TicketView => ({
  id: t.id,
  title: t.title,
  description: t.description,
  price: fromCents(t.price),
  venue: t.venue,
  startsAt: t.startsAt?.toISOString() ?? null,
  ...(mayReadCode(t, viewerId) ? { code: t.code } : {}),
  userId: t.userId,
  orderId: t.orderId,
  status: t.status,
  version: t.version,
  seller: { id: t.userId, name: t.sellerName },
});

/** The ticket:created / ticket:updated payload: the full public state, price in cents, no code. */
export const toTicketEvent = (t: TicketRecord): EventData<typeof Subjects.TicketUpdated> => ({
  id: t.id,
  title: t.title,
  price: t.price,
  userId: t.userId,
  status: t.status,
  orderId: t.orderId,
  version: t.version,
  venue: t.venue,
  startsAt: t.startsAt?.toISOString() ?? null,
});
