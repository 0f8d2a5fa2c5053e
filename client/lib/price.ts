/**
 * A price as people type it: digits, with a decimal point or a decimal comma and at most two
 * decimals ("12.50", "12,50", "12"). Anything else — an exponent ("1e3", which JavaScript reads
 * as 1000), thousands separators, a currency sign, a minus — is refused with what to type
 * instead. Blank is left to the API, which names the missing field itself. The range is the
 * API's to judge.
 */
export type ParsedPrice = { ok: true; value: number } | { ok: false; message: string };

export const PRICE_FORMAT_MESSAGE =
  'Type the price in digits, with a point or a comma before the cents, e.g. 12.50 or 12,50.';

export function parsePrice(text: string): ParsedPrice | null {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  // A minus typed on purpose is a price below the lowest, not a formatting slip.
  if (/^-\s*\d/.test(trimmed)) return { ok: false, message: 'The price must be at least 0.50.' };
  const match = /^(\d+)(?:[.,](\d{1,2}))?$/.exec(trimmed);
  if (!match) return { ok: false, message: PRICE_FORMAT_MESSAGE };
  return { ok: true, value: Number(`${match[1]}.${match[2] ?? '0'}`) };
}
