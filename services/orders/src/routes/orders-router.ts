import { Router } from 'express';
import { parseId, requireAuth, signedInUser, validate, type Database } from '@ticketing/common';
import type { OrdersConfig } from '../config.js';
import { cancelOrder } from '../domain/cancel-order.js';
import { createOrder } from '../domain/create-order.js';
import { createOrderBody } from '../domain/order-schemas.js';
import { listMyOrders, showMyOrder } from '../domain/view-orders.js';

/** The Orders routes of API.md. Each parses, calls one use case, answers. */
export function ordersRouter(db: Database, config: OrdersConfig): Router {
  const router = Router();

  router.post('/api/orders', requireAuth, async (req, res) => {
    const order = await createOrder(db, signedInUser(req).id, validate(createOrderBody, req.body), {
      windowSeconds: config.RESERVATION_WINDOW_SECONDS,
    });
    res.status(201).json(order);
  });

  router.get('/api/orders', requireAuth, async (req, res) => {
    res.json(await listMyOrders(db, signedInUser(req).id));
  });

  router.get('/api/orders/:id', requireAuth, async (req, res) => {
    res.json(await showMyOrder(db, signedInUser(req).id, parseId(req.params.id, 'Order')));
  });

  router.delete('/api/orders/:id', requireAuth, async (req, res) => {
    res.json(await cancelOrder(db, signedInUser(req).id, parseId(req.params.id, 'Order')));
  });

  return router;
}
