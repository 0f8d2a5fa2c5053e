import { Router } from 'express';
import {
  paginationQuery,
  parseId,
  requireAuth,
  signedInUser,
  validate,
  type Database,
  type RateLimit,
} from '@ticketing/common';
import type { OrdersConfig } from '../config.js';
import { cancelOrder } from '../domain/cancel-order.js';
import { createOrder, orderRounds } from '../domain/create-order.js';
import { createOrderBody } from '../domain/order-schemas.js';
import { listMyOrders, showMyOrder } from '../domain/view-orders.js';

/** The Orders routes of API.md. Each parses, calls one use case, answers. */
export function ordersRouter(
  db: Database,
  config: OrdersConfig,
  limits: { ordersPerMinute: RateLimit },
): Router {
  const router = Router();
  // Orders for one ticket arriving together share one read (the flash sale's hot ticket).
  const rounds = orderRounds(db);

  router.post('/api/orders', requireAuth, async (req, res) => {
    const buyerId = signedInUser(req).id;
    const input = validate(createOrderBody, req.body);
    // Every attempt counts, refused ones too: re-ordering in a loop is what the limit stops.
    await limits.ordersPerMinute.consume(buyerId);
    const order = await createOrder(db, buyerId, input, {
      windowSeconds: config.RESERVATION_WINDOW_SECONDS,
      maxUnpaid: config.MAX_ACTIVE_ORDERS_PER_USER,
      rounds,
    });
    res.status(201).json(order);
  });

  router.get('/api/orders', requireAuth, async (req, res) => {
    const userId = signedInUser(req).id;
    res.json(await listMyOrders(db, userId, validate(paginationQuery, req.query)));
  });

  router.get('/api/orders/:id', requireAuth, async (req, res) => {
    res.json(await showMyOrder(db, signedInUser(req).id, parseId(req.params.id, 'Order')));
  });

  router.delete('/api/orders/:id', requireAuth, async (req, res) => {
    res.json(await cancelOrder(db, signedInUser(req).id, parseId(req.params.id, 'Order')));
  });

  return router;
}
