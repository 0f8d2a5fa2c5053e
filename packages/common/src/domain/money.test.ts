import { describe, expect, it } from 'vitest';
import { fromCents, priceSchema } from './money.js';

describe('priceSchema', () => {
  it('when a price has up to two decimals within range, then it becomes exact cents', () => {
    expect(priceSchema.parse(19.99)).toBe(1999);
    expect(priceSchema.parse(0.01)).toBe(1);
    expect(priceSchema.parse(1_000_000)).toBe(100_000_000);
    expect(fromCents(1999)).toBe(19.99);
  });

  it('when a price is zero, negative, too high, too precise or not a number, then it is refused', () => {
    for (const bad of [0, -5, 1_000_000.01, 10.001, '10', null, Number.NaN, 1e-9]) {
      expect(priceSchema.safeParse(bad).success).toBe(false);
    }
  });

  it('when a price carries floating-point noise (0.1 + 0.2, 10.0000000001), then it is refused', () => {
    for (const noisy of [0.1 + 0.2, 10.0000000001, 19.990000000000002, 1.005 + 1e-12]) {
      expect(priceSchema.safeParse(noisy).success, String(noisy)).toBe(false);
    }
  });

  it('when any amount of cents is written as JSON with two decimals, then it is taken exactly', () => {
    for (let cents = 1; cents <= 100_000_000; cents += cents < 100_000 ? 1 : 99_991) {
      const text = (cents / 100).toFixed(2);
      expect(priceSchema.parse(JSON.parse(text)), text).toBe(cents);
    }
  });
});
