'use client';

import { useState, type FormEvent } from 'react';
import { formatExpiry } from '@/lib/card-expiry';
import { checkCard, digitsOf, groupCardNumber } from '@/lib/card-number';
import type { Pay } from '@/lib/types';
import { FormErrors, Notice } from './alerts';
import { TextField } from './field';
import { PayButton } from './pay-button';
import { PaymentDeclined } from './payment-declined';

/**
 * Test mode: a plain card form for the sandbox provider. The sandbox has no card vault: the
 * card number itself (digits only) is the payment source, which the sandbox provider accepts
 * for its test cards (API.md). Expiry and CVC are checked here for shape only and never sent.
 */
export function TestCardForm({ amount, pay }: { amount: string; pay: Pay }) {
  const [number, setNumber] = useState('');
  const [expiry, setExpiry] = useState('');
  const [fieldErrors, setFieldErrors] = useState<Record<string, string>>({});
  const [general, setGeneral] = useState<string[]>([]);
  const [declined, setDeclined] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const errors = checkCard(number, expiry, String(form.get('cvc') ?? ''));
    setFieldErrors(errors);
    setGeneral([]);
    setDeclined(null);
    if (Object.keys(errors).length > 0) return;
    setBusy(true);
    const outcome = await pay(digitsOf(number));
    setBusy(false);
    if (outcome.kind === 'declined') {
      setDeclined(outcome.message);
      setFieldErrors({ cardNumber: `${outcome.message} Try another card.` });
    } else if (outcome.kind === 'error') {
      if (outcome.field === 'card') setFieldErrors({ cardNumber: outcome.messages.join(' ') });
      else setGeneral(outcome.messages);
    }
  }

  return (
    <form onSubmit={onSubmit} noValidate aria-labelledby="pay-heading" className="space-y-5">
      <Notice tone="info" title="Test mode — no real payment is made">
        Pay with the test card <strong className="whitespace-nowrap">4242 4242 4242 4242</strong>;
        the card <strong className="whitespace-nowrap">4000 0000 0000 0002</strong> is always
        declined. Any future expiry date and any 3-digit CVC will do.
      </Notice>
      <PaymentDeclined message={declined} />
      <FormErrors messages={general} />
      <TextField
        id="cardNumber"
        label="Card number"
        inputMode="numeric"
        autoComplete="cc-number"
        placeholder="1234 1234 1234 1234"
        value={number}
        onChange={(e) => setNumber(groupCardNumber(e.target.value))}
        error={fieldErrors.cardNumber}
        maxLength={23}
      />
      <div className="grid grid-cols-2 gap-4">
        <TextField
          id="expiry"
          label="Expiry (MM/YY)"
          inputMode="numeric"
          autoComplete="cc-exp"
          placeholder="12/34"
          value={expiry}
          onChange={(e) => setExpiry(formatExpiry(e.target.value))}
          error={fieldErrors.expiry}
        />
        <TextField
          id="cvc"
          label="CVC"
          inputMode="numeric"
          autoComplete="cc-csc"
          placeholder="123"
          maxLength={4}
          error={fieldErrors.cvc}
        />
      </div>
      <PayButton busy={busy} amount={amount} />
    </form>
  );
}
