import { z } from 'zod';

/** The lowest price a ticket may have, in currency units: what card processors accept (API.md). */
export const MIN_PRICE = 0.5;
/** The highest price a ticket may have, in currency units (API.md). */
export const MAX_PRICE = 999_999.99;

const bounds = `from ${MIN_PRICE.toFixed(2)} to ${MAX_PRICE.toLocaleString('en-US')}`;

/**
 * A price as the API takes it: a JSON number in currency units, from 0.50 to 999,999.99 (what
 * card processors charge), with at most two decimals. It becomes integer cents, the only form
 * stored or sent in events, so no sum is ever off by floating-point error.
 */
export const priceSchema = z
  // A blank field or no price at all asks for one; anything else says what a price looks like.
  .number({
    error: (issue) =>
      issue.input === undefined || issue.input === ''
        ? 'Enter a price, e.g. 12.50'
        : 'Price must be a number, e.g. 12.50',
  })
  .min(MIN_PRICE, `Price must be ${bounds}`)
  .max(MAX_PRICE, `Price must be ${bounds}`)
  // Exactly a number of cents as JSON writes it: 19.99 parses to the same double as the string
  // "19.99", while 0.1 + 0.2 (0.30000000000000004), 10.0000000001 or 1e-9 do not. Rounding such
  // values would store a price nobody typed (docs/decisions: prices are exact).
  .refine((v) => Number(v.toFixed(2)) === v, {
    message: 'Price must have at most 2 decimals',
  })
  .transform(toCents)
  .meta({ description: `In currency units with at most 2 decimals, ${bounds}`, example: 25.5 });

export function toCents(units: number): number {
  return Math.round(units * 100);
}

/** Cents back to currency units for responses: 1999 → 19.99. */
export function fromCents(cents: number): number {
  return cents / 100;
}
