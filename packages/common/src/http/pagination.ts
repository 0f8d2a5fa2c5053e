import { z } from 'zod';

/** API.md's page bounds for lists that can grow without bound. */
export const MAX_PAGE_LIMIT = 100;
export const DEFAULT_PAGE_LIMIT = 50;

/** A whole number in [min, max] given once in plain digits: `1e2`, `-1`, `1.5`, `abc` are refused. */
const wholeNumber = (name: string, min: number, max: number, message: string) =>
  z
    .string({ message: `${name} must be given once, as text` })
    .regex(/^\d+$/, message)
    .transform(Number)
    .pipe(z.number().int().min(min, message).max(max, message));

/**
 * How the OpenAPI document shows `limit` and `offset`: as the whole numbers they are (a query
 * string is text, which the zod schemas parse; the document describes what a client sends).
 */
export const limitDocs = {
  type: 'integer',
  minimum: 1,
  maximum: MAX_PAGE_LIMIT,
  default: DEFAULT_PAGE_LIMIT,
  description: 'How many items at most',
} as const;
export const offsetDocs = {
  type: 'integer',
  minimum: 0,
  default: 0,
  description: 'How many items to skip',
} as const;

/**
 * `limit` (1–100, default 50) and `offset` (≥ 0, default 0) of a paginated list, from a query
 * string (API.md Conventions, Lists); anything else is a 400 naming the field. Extend it with
 * `.extend({...})` for lists that take more parameters.
 */
export const paginationQuery = z.object({
  limit: wholeNumber(
    'Limit',
    1,
    MAX_PAGE_LIMIT,
    `Limit must be a whole number from 1 to ${MAX_PAGE_LIMIT}`,
  )
    .default(DEFAULT_PAGE_LIMIT)
    .meta(limitDocs),
  offset: wholeNumber(
    'Offset',
    0,
    Number.MAX_SAFE_INTEGER,
    'Offset must be a whole number of 0 or more',
  )
    .default(0)
    .meta(offsetDocs),
});

/** A page of a list: how many rows at most, after skipping how many. */
export type Page = z.infer<typeof paginationQuery>;
