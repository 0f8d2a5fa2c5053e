'use client';

import Script from 'next/script';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { formatExpiry, parseExpiry } from '@/lib/card-expiry';
import { FormErrors, Notice } from './alerts';
import { TextField } from './field';
import { CardIcon, LockIcon, Spinner } from './icons';

/** What a payment attempt came to, as the order page reports it back to a form. */
export type PaymentOutcome =
  | { kind: 'paid' }
  | { kind: 'declined'; message: string }
  | { kind: 'error'; messages: string[]; field?: 'card' };

/** Sends one payment source (a token, a PaymentMethod id or a test card number) to the API. */
export type Pay = (token: string) => Promise<PaymentOutcome>;

// ---------------------------------------------------------------------------------------------
// Test mode: a plain card form for the sandbox provider.
// ---------------------------------------------------------------------------------------------

const digitsOf = (s: string) => s.replace(/\D/g, '');

/** "4242424242424242" → "4242 4242 4242 4242", as people read card numbers. */
const groupCardNumber = (s: string) =>
  digitsOf(s)
    .slice(0, 19)
    .replace(/(\d{4})(?=\d)/g, '$1 ');

function passesLuhn(digits: string): boolean {
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

function checkCard(number: string, expiry: string, cvc: string) {
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
    const now = new Date();
    const { month, year } = date;
    if (year < now.getFullYear() || (year === now.getFullYear() && month < now.getMonth() + 1)) {
      errors.expiry = 'This card has expired.';
    }
  }
  if (!/^\d{3,4}$/.test(cvc.trim())) errors.cvc = 'Enter the 3 or 4 digits on the back.';
  return errors;
}

/**
 * The sandbox has no card vault: the card number itself (digits only) is the payment source,
 * which the sandbox provider accepts for its test cards (API.md). Expiry and CVC are checked
 * here for shape only and never sent.
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
      {declined && (
        <Notice tone="error" role="alert" title="Payment declined">
          {declined} Nothing was charged, and the ticket stays reserved for you: try another card.
        </Notice>
      )}
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

function PayButton({
  busy,
  amount,
  disabled,
}: {
  busy: boolean;
  amount: string;
  disabled?: boolean;
}) {
  return (
    <button type="submit" className="btn-primary w-full text-base" disabled={busy || disabled}>
      {busy ? <Spinner /> : <LockIcon className="size-4" />}
      {busy ? 'Paying…' : `Pay ${amount}`}
    </button>
  );
}

// ---------------------------------------------------------------------------------------------
// Stripe mode: Stripe.js's card element, when a publishable key is configured.
// UNTESTED HERE: this machine cannot reach js.stripe.com, so no test covers this form. It
// follows Stripe's documented card-element flow: mount `elements().create('card')`, then
// `createPaymentMethod`, and send the PaymentMethod id (pm_…) as the payment's `token`,
// which the payments service confirms as a PaymentIntent.
// ---------------------------------------------------------------------------------------------

export function StripeCardForm({
  publishableKey,
  nonce,
  amount,
  pay,
}: {
  publishableKey: string;
  nonce?: string;
  amount: string;
  pay: Pay;
}) {
  const mountPoint = useRef<HTMLDivElement>(null);
  const stripe = useRef<StripeInstance | null>(null);
  const card = useRef<StripeCardElement | null>(null);
  const [scriptLoaded, setScriptLoaded] = useState(
    () => typeof window !== 'undefined' && window.Stripe !== undefined,
  );
  const [ready, setReady] = useState(false);
  const [loadFailed, setLoadFailed] = useState(false);
  const [cardError, setCardError] = useState<string | undefined>();
  const [general, setGeneral] = useState<string[]>([]);
  const [declined, setDeclined] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!scriptLoaded || !window.Stripe || !mountPoint.current) return;
    stripe.current = window.Stripe(publishableKey);
    const element = stripe.current.elements().create('card', {
      hidePostalCode: true,
      style: {
        base: { fontSize: '16px', color: '#0f172a', '::placeholder': { color: '#94a3b8' } },
      },
    });
    element.mount(mountPoint.current);
    element.on('change', (e) => setCardError(e.error?.message));
    card.current = element;
    setReady(true);
    return () => {
      element.destroy();
      card.current = null;
      setReady(false);
    };
  }, [scriptLoaded, publishableKey]);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!stripe.current || !card.current) return;
    setBusy(true);
    setGeneral([]);
    setDeclined(null);
    const { paymentMethod, error } = await stripe.current.createPaymentMethod({
      type: 'card',
      card: card.current,
    });
    if (error || !paymentMethod) {
      setBusy(false);
      setCardError(error?.message ?? 'The card could not be read. Check it and try again.');
      return;
    }
    const outcome = await pay(paymentMethod.id);
    setBusy(false);
    if (outcome.kind === 'declined') {
      setDeclined(outcome.message);
      setCardError(`${outcome.message} Try another card.`);
    } else if (outcome.kind === 'error') {
      if (outcome.field === 'card') setCardError(outcome.messages.join(' '));
      else setGeneral(outcome.messages);
    }
  }

  return (
    <form onSubmit={onSubmit} noValidate aria-labelledby="pay-heading" className="space-y-5">
      <Script
        src="https://js.stripe.com/v3"
        nonce={nonce}
        onLoad={() => setScriptLoaded(true)}
        onReady={() => setScriptLoaded(true)}
        onError={() => setLoadFailed(true)}
      />
      {declined && (
        <Notice tone="error" role="alert" title="Payment declined">
          {declined} Nothing was charged, and the ticket stays reserved for you: try another card.
        </Notice>
      )}
      <FormErrors messages={general} />
      {loadFailed ? (
        <Notice tone="error" role="alert" title="The card form could not be loaded">
          Check your connection and reload the page.
        </Notice>
      ) : (
        <div>
          <p id="card-label" className="field-label flex items-center gap-1.5">
            <CardIcon className="size-4" />
            Card
          </p>
          <div
            role="group"
            aria-labelledby="card-label"
            aria-describedby={cardError ? 'card-error' : undefined}
            className="field-input relative flex min-h-12 items-center"
          >
            {/* Stripe owns this element's children; React never renders into it. */}
            <div ref={mountPoint} className="w-full" />
            {!ready && (
              <span className="absolute inset-x-3.5 flex items-center gap-2 text-sm text-slate-500">
                <Spinner /> Loading the secure card form…
              </span>
            )}
          </div>
          {cardError && (
            <p id="card-error" role="alert" className="field-error">
              {cardError}
            </p>
          )}
          <p className="field-hint flex items-center gap-1.5">
            <LockIcon className="size-4" />
            Card details go straight to Stripe; this site never sees them.
          </p>
        </div>
      )}
      <PayButton busy={busy} amount={amount} disabled={!ready} />
    </form>
  );
}
