import { SIGNED_IN, errorResponses, jsonResponse, type ApiDescription } from '@ticketing/common';
import { z } from 'zod';
import { chargesQuery, payOrderBody, publicChargeSchema } from '../domain/payment-schemas.js';

/** The Payments routes of `payments-router.ts`, with the schemas they validate and answer with. */
export const describePaymentsApi: ApiDescription = (api) => {
  const tags = ['Payments'];

  api.registerPath({
    method: 'post',
    path: '/api/payments',
    tags,
    summary: 'Pay for an order',
    description:
      "Charges the order's price. Concurrent requests for one order charge it at most once; a charge that succeeds after the order was cancelled is refunded.",
    security: SIGNED_IN,
    request: { body: { content: { 'application/json': { schema: payOrderBody } } } },
    responses: {
      ...jsonResponse(201, publicChargeSchema, 'The charge, `completed`'),
      ...errorResponses({
        400: true,
        401: true,
        402: 'Declined: the charge is recorded as `failed` and the order stays payable until it expires',
        403: "Another user's order",
        404: 'Unknown order (also for a moment after it was placed: try again)',
        409: 'The order is cancelled, expired, already paid, or a payment for it is in progress',
      }),
    },
  });

  api.registerPath({
    method: 'get',
    path: '/api/payments',
    tags,
    summary: 'List the charges of my order',
    description: 'Failed attempts included.',
    security: SIGNED_IN,
    request: { query: chargesQuery },
    responses: {
      ...jsonResponse(200, z.array(publicChargeSchema), 'The charges of the order'),
      ...errorResponses({
        400: true,
        401: true,
        403: "Another user's order",
        404: 'Unknown order',
      }),
    },
  });
};
