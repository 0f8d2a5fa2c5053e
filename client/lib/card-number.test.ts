import { describe, expect, it } from 'vitest';
import { checkCard, groupCardNumber, passesLuhn } from './card-number';

describe('card number', () => {
  it('when typed or pasted, then it shows in groups of four, at most 19 digits', () => {
    expect(groupCardNumber('4242424242424242')).toBe('4242 4242 4242 4242');
    expect(groupCardNumber('4242-4242 42')).toBe('4242 4242 42');
    expect(groupCardNumber('1'.repeat(25))).toBe('1111 1111 1111 1111 111');
  });

  it('when a digit is mistyped, then the Luhn check fails', () => {
    expect(passesLuhn('4242424242424242')).toBe(true);
    expect(passesLuhn('4000000000000002')).toBe(true);
    expect(passesLuhn('4242424242424241')).toBe(false);
  });

  it('when checked, then each field that cannot be right has its message', () => {
    const june2030 = new Date(2030, 5, 15);
    expect(checkCard('4242 4242 4242 4242', '06/30', '123', june2030)).toEqual({});
    expect(checkCard('', '', '', june2030)).toEqual({
      cardNumber: 'Enter the card number.',
      expiry: 'Enter the expiry date.',
      cvc: 'Enter the 3 or 4 digits on the back.',
    });
    expect(checkCard('4242 4242 4242 4241', '13/30', '12345', june2030)).toEqual({
      cardNumber: 'This card number is not valid. Check it and try again.',
      expiry: 'Enter the month and year from the card, e.g. 12/34.',
      cvc: 'Enter the 3 or 4 digits on the back.',
    });
    expect(checkCard('4242424242424242', '05/30', '1234', june2030)).toEqual({
      expiry: 'This card has expired.',
    });
  });
});
