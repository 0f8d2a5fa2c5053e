import {
  SIGNED_IN,
  errorResponses,
  idPathParams,
  jsonResponse,
  paginationQuery,
  type ApiDescription,
} from '@ticketing/common';
import { z } from 'zod';
import { createOrderBody, publicOrderSchema } from '../domain/order-schemas.js';

/** The Orders routes of `orders-router.ts`, with the schemas they validate and answer with. */
export const describeOrdersApi: ApiDescription = (api) => {
  const tags = ['Orders'];

  api.registerPath({
    method: 'post',
    path: '/api/orders',
    tags,
    summary: 'Reserve a ticket',
    description:
      "Creates an order in status `created` that holds the ticket until `expiresAt`: the reservation window (15 minutes by default), or the event's start if sooner.",
    security: SIGNED_IN,
    request: { body: { content: { 'application/json': { schema: createOrderBody } } } },
    responses: {
      ...jsonResponse(201, publicOrderSchema, 'The new order'),
      ...errorResponses({
        400: 'Invalid ticketId',
        401: true,
        403: "The ticket is the caller's own",
        404: 'Unknown ticket',
        409: 'The ticket is reserved, sold or withdrawn, or its event has started',
        429: 'The buyer already holds the most unpaid reservations allowed (5 by default), or is ordering too fast',
      }),
    },
  });

  api.registerPath({
    method: 'get',
    path: '/api/orders',
    tags,
    summary: 'List my orders',
    description: "The caller's orders, newest first, a page at a time.",
    security: SIGNED_IN,
    request: { query: paginationQuery },
    responses: {
      ...jsonResponse(200, z.array(publicOrderSchema), "A page of the caller's orders"),
      ...errorResponses({ 400: true, 401: true }),
    },
  });

  api.registerPath({
    method: 'get',
    path: '/api/orders/{id}',
    tags,
    summary: 'Show an order',
    security: SIGNED_IN,
    request: { params: idPathParams('order') },
    responses: {
      ...jsonResponse(200, publicOrderSchema, 'The order'),
      ...errorResponses({ 401: true, 403: "Another user's order", 404: true }),
    },
  });

  api.registerPath({
    method: 'delete',
    path: '/api/orders/{id}',
    tags,
    summary: 'Cancel an order',
    description:
      'Cancels the reservation and frees the ticket; cancelling a cancelled order again is harmless.',
    security: SIGNED_IN,
    request: { params: idPathParams('order') },
    responses: {
      ...jsonResponse(200, publicOrderSchema, 'The order, status `cancelled`'),
      ...errorResponses({
        401: true,
        403: "Another user's order",
        404: true,
        409: 'The order is completed',
      }),
    },
  });
};
