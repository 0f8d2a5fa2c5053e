import type { Pay } from '@/lib/types';
import { Spinner } from './icons';
import { StripeCardForm } from './stripe-card-form';
import { TestCardForm } from './test-card-form';

/**
 * The pay step of a reserved order: Stripe's card form when a publishable key is configured,
 * else the sandbox's test card form.
 */
export function OrderPayPanel({
  amount,
  pay,
  preparing,
  stripeKey,
}: {
  /** The price, formatted. */
  amount: string;
  pay: Pay;
  /** Payments has not yet learnt of the order: the payment is being asked again. */
  preparing: boolean;
  stripeKey?: string;
}) {
  return (
    <section aria-labelledby="pay-heading" className="card p-5 sm:p-8">
      <h2 id="pay-heading" className="mb-5 text-lg font-semibold text-slate-900">
        Pay for your ticket
      </h2>
      {preparing && (
        <p role="status" className="mb-4 flex items-center gap-2 text-sm text-sky-800">
          <Spinner /> Preparing payment…
        </p>
      )}
      {stripeKey ? (
        <StripeCardForm publishableKey={stripeKey} amount={amount} pay={pay} />
      ) : (
        <TestCardForm amount={amount} pay={pay} />
      )}
    </section>
  );
}
