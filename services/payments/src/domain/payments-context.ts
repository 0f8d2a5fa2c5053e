import type { Database, PaymentProvider } from '@ticketing/common';

/** What the payment use cases work with. */
export interface PaymentsContext {
  /** The service's database handle (commits through it wake the outbox relay). */
  db: Database;
  provider: PaymentProvider;
  /** The currency of every charge. */
  currency: string;
  /** Charges this process is asking the provider about right now; the reconciler skips them. */
  inFlight: Set<string>;
}
