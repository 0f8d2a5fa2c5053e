import { describe, expect, it } from 'vitest';
import { fromCents, priceSchema } from './money.js';

describe('priceSchema', () => {
  it('when a price has up to two decimals within range, then it becomes exact cents', () => {
    expect(priceSchema.parse(19.99)).toBe(1999);
    expect(priceSchema.parse(0.5)).toBe(50);
    expect(priceSchema.parse(999_999.99)).toBe(99_999_999);
    expect(fromCents(1999)).toBe(19.99);
  });

  it('when a price is under 0.50, over 999,999.99, too precise or not a number, then it is refused', () => {
    for (const bad of [0, 0.49, -5, 1_000_000, 10.001, '10', null, Number.NaN, 1e-9]) {
      expect(priceSchema.safeParse(bad).success).toBe(false);
    }
  });

  it('when a price is out of bounds, then the message names both bounds', () => {
    for (const bad of [0.49, 1_000_000]) {
      const result = priceSchema.safeParse(bad);
      expect(result.error?.issues[0]?.message).toBe('Price must be from 0.50 to 999,999.99');
    }
  });

  it('when a price carries floating-point noise (0.1 + 0.2, 10.0000000001), then it is refused', () => {
    for (const noisy of [0.1 + 0.2, 10.0000000001, 19.990000000000002, 1.005 + 1e-12]) {
      expect(priceSchema.safeParse(noisy).success, String(noisy)).toBe(false);
    }
  });

  it('when any amount of cents in range is written as JSON with two decimals, then it is taken exactly', () => {
    for (let cents = 50; cents <= 99_999_999; cents += cents < 100_000 ? 1 : 99_991) {
      const text = (cents / 100).toFixed(2);
      expect(priceSchema.parse(JSON.parse(text)), text).toBe(cents);
    }
  });
});
