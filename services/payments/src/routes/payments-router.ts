import { Router } from 'express';
import { requireAuth, signedInUser, validate } from '@ticketing/common';
import { payOrder } from '../domain/pay-order.js';
import { chargesQuery, payOrderBody } from '../domain/payment-schemas.js';
import type { PaymentsContext } from '../domain/payments-context.js';
import { listChargesOfMyOrder } from '../domain/view-charges.js';

/** The Payments routes of API.md. Each parses, calls one use case, answers. */
export function paymentsRouter(ctx: PaymentsContext): Router {
  const router = Router();

  router.post('/api/payments', requireAuth, async (req, res) => {
    const charge = await payOrder(ctx, signedInUser(req).id, validate(payOrderBody, req.body));
    res.status(201).json(charge);
  });

  router.get('/api/payments', requireAuth, async (req, res) => {
    const { orderId } = validate(chargesQuery, req.query);
    res.json(await listChargesOfMyOrder(ctx.db, signedInUser(req).id, orderId));
  });

  return router;
}
