/**
 * Stripe's test-mode payment sources that this system knows, and what each one does: the test
 * tokens (`tok_…`), the matching test PaymentMethods (`pm_card_…`) and their card numbers.
 * The sandbox provider answers from this table; so does the Stripe stub used in tests.
 */
export type TestCardOutcome =
  { succeeds: true } | { succeeds: false; code: string; declineCode: string; message: string };

const approved: TestCardOutcome = { succeeds: true };

const declined = (code: string, declineCode: string, message: string): TestCardOutcome => ({
  succeeds: false,
  code,
  declineCode,
  message,
});

/** One row per test card: the names it goes by, and its outcome. */
const testCards: Array<{ names: string[]; outcome: TestCardOutcome }> = [
  { names: ['tok_visa', 'pm_card_visa', '4242424242424242'], outcome: approved },
  { names: ['tok_visa_debit', 'pm_card_visa_debit', '4000056655665556'], outcome: approved },
  { names: ['tok_mastercard', 'pm_card_mastercard', '5555555555554444'], outcome: approved },
  { names: ['tok_amex', 'pm_card_amex', '378282246310005'], outcome: approved },
  {
    names: ['tok_chargeDeclined', 'pm_card_chargeDeclined', '4000000000000002'],
    outcome: declined('card_declined', 'generic_decline', 'Your card was declined.'),
  },
  {
    names: [
      'tok_chargeDeclinedInsufficientFunds',
      'pm_card_chargeDeclinedInsufficientFunds',
      '4000000000009995',
    ],
    outcome: declined('card_declined', 'insufficient_funds', 'Your card has insufficient funds.'),
  },
  {
    names: [
      'tok_chargeDeclinedExpiredCard',
      'pm_card_chargeDeclinedExpiredCard',
      '4000000000000069',
    ],
    outcome: declined('expired_card', 'expired_card', 'Your card has expired.'),
  },
];

const byName = new Map(testCards.flatMap((card) => card.names.map((n) => [n, card] as const)));

/** Each test card's number is the last of its names. */
const numberOf = (card: (typeof testCards)[number]): string => card.names[card.names.length - 1]!;

/** A card number as people type it ("4242 4242 4242 4242") reduced to its digits. */
const asCardNumber = (source: string): string | undefined => {
  const digits = source.replace(/[\s-]/g, '');
  return /^\d{12,19}$/.test(digits) ? digits : undefined;
};

/** True when `source` looks like a card number rather than a token. */
export const isCardNumber = (source: string): boolean => asCardNumber(source) !== undefined;

/** What a test source does, or undefined for a source that is not one of the test ones. */
export function testCardOutcome(source: string): TestCardOutcome | undefined {
  return byName.get(asCardNumber(source) ?? source.trim())?.outcome;
}

/**
 * The last four digits of the test card a source stands for (`tok_visa` → `4242`), as Stripe
 * reports them on the charge; undefined for a source that is not a test card.
 */
export function testCardLast4(source: string): string | undefined {
  const card = byName.get(asCardNumber(source) ?? source.trim());
  return card && numberOf(card).slice(-4);
}

/** The test PaymentMethod (`pm_card_…`) for a test card number, as Stripe's test mode names it. */
export function testPaymentMethodFor(cardNumber: string): string | undefined {
  const digits = asCardNumber(cardNumber);
  return digits ? byName.get(digits)?.names.find((n) => n.startsWith('pm_')) : undefined;
}
