/**
 * The card expiry as people type it on a digits-only keypad: "1234" shows as "12/34", a first
 * digit that cannot start a month gets its zero ("4" → "04"), and anything pasted — "12/34",
 * "1234", "12 / 34" — comes out the same way. At most MM/YY: extra digits are dropped.
 */
export function formatExpiry(input: string): string {
  // "1/34": a one-digit month the person wrote with its slash.
  const short = /^\s*(\d)\s*\/\s*(\d{2})\s*$/.exec(input);
  if (short) return `0${short[1]}/${short[2]}`;
  let digits = input.replace(/\D/g, '').slice(0, 4);
  if (/^[2-9]/.test(digits)) digits = `0${digits}`.slice(0, 4);
  return digits.length > 2 ? `${digits.slice(0, 2)}/${digits.slice(2)}` : digits;
}

/** `{ month, year }` (year as 20YY) from "MM/YY", or null when it is not a whole date. */
export function parseExpiry(text: string): { month: number; year: number } | null {
  const match = /^(\d{2})\/(\d{2})$/.exec(formatExpiry(text));
  if (!match) return null;
  const month = Number(match[1]);
  if (month < 1 || month > 12) return null;
  return { month, year: 2000 + Number(match[2]) };
}
