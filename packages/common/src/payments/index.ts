export * from './payment-provider.js';
export * from './test-cards.js';
export * from './sandbox-provider.js';
export * from './stripe-provider.js';
