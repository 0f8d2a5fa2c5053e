import { Router } from 'express';
import { requireAuth, signedInUser, validate, type Database } from '@ticketing/common';
import { listNotificationsQuery, markReadBody } from '../domain/notification-schemas.js';
import { myNotifications, readNotifications } from '../domain/view-notifications.js';

/** The Notifications routes of API.md. Each parses, calls one use case, answers. */
export function notificationsRouter(db: Database): Router {
  const router = Router();

  router.get('/api/notifications', requireAuth, async (req, res) => {
    const query = validate(listNotificationsQuery, req.query);
    res.json(await myNotifications(db, signedInUser(req).id, query));
  });

  router.post('/api/notifications/read', requireAuth, async (req, res) => {
    const input = validate(markReadBody, req.body);
    res.json(await readNotifications(db, signedInUser(req).id, input));
  });

  return router;
}
