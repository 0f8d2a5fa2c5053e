import {
  SIGNED_IN,
  SIGNED_IN_OR_NOT,
  errorResponses,
  idPathParams,
  jsonResponse,
  paginationQuery,
  type ApiDescription,
} from '@ticketing/common';
import { z } from 'zod';
import {
  listTicketsQuery,
  saleViewSchema,
  ticketBody,
  ticketViewSchema,
} from '../domain/ticket-schemas.js';

/** The Tickets and Sales routes of `tickets-router.ts`, with the schemas they validate and answer with. */
export const describeTicketsApi: ApiDescription = (api) => {
  const tags = ['Tickets'];
  const body = { content: { 'application/json': { schema: ticketBody } } };
  const duplicateCode = 'The same code is already on an active or sold listing for the same event';

  api.registerPath({
    method: 'post',
    path: '/api/tickets',
    tags,
    summary: 'List a ticket for sale',
    security: SIGNED_IN,
    request: { body },
    responses: {
      ...jsonResponse(201, ticketViewSchema, 'The new ticket, `available`'),
      ...errorResponses({ 400: true, 401: true, 409: duplicateCode }),
    },
  });

  api.registerPath({
    method: 'get',
    path: '/api/tickets',
    tags,
    summary: 'Browse tickets',
    description:
      "Without `userId`, only `available` tickets whose event has not started; with it, that seller's listings in any status. Never shows a `code`.",
    request: { query: listTicketsQuery },
    responses: {
      ...jsonResponse(200, z.array(ticketViewSchema), 'A page of tickets'),
      ...errorResponses({ 400: 'Out-of-range or malformed parameters' }),
    },
  });

  api.registerPath({
    method: 'get',
    path: '/api/tickets/{id}',
    tags,
    summary: 'Show a ticket',
    description:
      'In any status. Its `code` is shown to the seller, and to the buyer once their order for it completed.',
    security: SIGNED_IN_OR_NOT,
    request: { params: idPathParams('ticket') },
    responses: {
      ...jsonResponse(200, ticketViewSchema, 'The ticket'),
      ...errorResponses({ 404: true }),
    },
  });

  api.registerPath({
    method: 'put',
    path: '/api/tickets/{id}',
    tags,
    summary: 'Edit a listing',
    description: 'Replaces the whole editable state (the same body as listing it); version + 1.',
    security: SIGNED_IN,
    request: { params: idPathParams('ticket'), body },
    responses: {
      ...jsonResponse(200, ticketViewSchema, 'The changed ticket'),
      ...errorResponses({
        400: true,
        401: true,
        403: 'Not the seller',
        404: true,
        409: `The ticket is reserved, sold or withdrawn; or: ${duplicateCode.toLowerCase()}`,
      }),
    },
  });

  api.registerPath({
    method: 'delete',
    path: '/api/tickets/{id}',
    tags,
    summary: 'Withdraw a listing',
    description: 'Withdrawing a withdrawn ticket again is harmless.',
    security: SIGNED_IN,
    request: { params: idPathParams('ticket') },
    responses: {
      ...jsonResponse(200, ticketViewSchema, 'The ticket, `withdrawn`'),
      ...errorResponses({
        401: true,
        403: 'Not the seller',
        404: true,
        409: 'The ticket is reserved or sold',
      }),
    },
  });

  api.registerPath({
    method: 'get',
    path: '/api/sales',
    tags: ['Sales'],
    summary: 'List my sales',
    description: "The caller's sold tickets, newest sale first.",
    security: SIGNED_IN,
    request: { query: paginationQuery },
    responses: {
      ...jsonResponse(200, z.array(saleViewSchema), "A page of the caller's sales"),
      ...errorResponses({ 400: true, 401: true }),
    },
  });
};
