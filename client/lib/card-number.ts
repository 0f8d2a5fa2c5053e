import { parseExpiry } from './card-expiry';

/** The digits of a card number as typed, without spaces or dashes. */
export const digitsOf = (s: string) => s.replace(/\D/g, '');

/** "4242424242424242" → "4242 4242 4242 4242", as people read card numbers. */
export const groupCardNumber = (s: string) =>
  digitsOf(s)
    .slice(0, 19)
    .replace(/(\d{4})(?=\d)/g, '$1 ');

/** The Luhn checksum every card number passes: catches a mistyped or swapped digit. */
export function passesLuhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return sum % 10 === 0;
}

/**
 * The test card form's own checks, before anything is sent: a message per field
 * (`cardNumber`, `expiry`, `cvc`) that is missing or cannot be right; empty when all may be.
 * `now` decides whether the card has expired (its month still counts).
 */
export function checkCard(
  number: string,
  expiry: string,
  cvc: string,
  now = new Date(),
): Record<string, string> {
  const errors: Record<string, string> = {};
  const digits = digitsOf(number);
  if (!digits) errors.cardNumber = 'Enter the card number.';
  else if (digits.length < 12 || digits.length > 19 || !passesLuhn(digits)) {
    errors.cardNumber = 'This card number is not valid. Check it and try again.';
  }
  const date = parseExpiry(expiry);
  if (!expiry.trim()) errors.expiry = 'Enter the expiry date.';
  else if (!date) {
    errors.expiry = 'Enter the month and year from the card, e.g. 12/34.';
  } else {
    const { month, year } = date;
    if (year < now.getFullYear() || (year === now.getFullYear() && month < now.getMonth() + 1)) {
      errors.expiry = 'This card has expired.';
    }
  }
  if (!/^\d{3,4}$/.test(cvc.trim())) errors.cvc = 'Enter the 3 or 4 digits on the back.';
  return errors;
}
