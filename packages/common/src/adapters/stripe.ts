// @ticketing/common/stripe: Stripe (the official SDK, PaymentIntents), when a secret key is set.
// An adapter: a host in apps/ chooses it; services see only its port (docs/decisions/0031).
export * from '../payments/stripe-provider.js';
