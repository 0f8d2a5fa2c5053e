import { SIGNED_IN, errorResponses, jsonResponse, type ApiDescription } from '@ticketing/common';
import {
  listNotificationsQuery,
  markReadBody,
  notificationsPageSchema,
  unreadCountSchema,
} from '../domain/notification-schemas.js';

/** The Notifications routes of `notifications-router.ts`, with the schemas they validate and answer with. */
export const describeNotificationsApi: ApiDescription = (api) => {
  const tags = ['Notifications'];

  api.registerPath({
    method: 'get',
    path: '/api/notifications',
    tags,
    summary: 'List my notifications',
    description:
      'Newest first, with how many are unread in all. Kinds: `reservation`, `reservation-ending`, `purchase`, `sale`, `expired`, `suspended`.',
    security: SIGNED_IN,
    request: { query: listNotificationsQuery },
    responses: {
      ...jsonResponse(200, notificationsPageSchema, 'A page of notifications and the unread count'),
      ...errorResponses({ 400: true, 401: true }),
    },
  });

  api.registerPath({
    method: 'post',
    path: '/api/notifications/read',
    tags,
    summary: 'Mark notifications read',
    description: "Ids of other users' notifications are ignored.",
    security: SIGNED_IN,
    request: { body: { content: { 'application/json': { schema: markReadBody } } } },
    responses: {
      ...jsonResponse(200, unreadCountSchema, 'How many are still unread'),
      ...errorResponses({ 400: true, 401: true }),
    },
  });
};
