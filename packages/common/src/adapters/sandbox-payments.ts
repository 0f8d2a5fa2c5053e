// @ticketing/common/sandbox-payments:
// The sandbox payment provider: Stripe's test mode, without an account.
// An adapter: a host in apps/ chooses it; services see only its port (docs/decisions/0031).
export * from '../payments/sandbox-provider.js';
