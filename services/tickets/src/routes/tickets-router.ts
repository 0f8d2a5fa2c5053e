import { Router } from 'express';
import {
  paginationQuery,
  parseId,
  requireAuth,
  signedInUser,
  validate,
  type Database,
} from '@ticketing/common';
import { listMySales } from '../domain/sales.js';
import { listTicketsQuery, ticketBody } from '../domain/ticket-schemas.js';
import {
  createTicket,
  editTicket,
  getTicket,
  listTickets,
  withdrawTicket,
} from '../domain/tickets-use-cases.js';

/** The Tickets and (v2) Sales routes of API.md. Each parses, calls one use case, answers. */
export function ticketsRouter(db: Database): Router {
  const router = Router();

  router.post('/api/tickets', requireAuth, async (req, res) => {
    const ticket = await createTicket(db, signedInUser(req).id, validate(ticketBody, req.body));
    res.status(201).json(ticket);
  });

  router.get('/api/tickets', async (req, res) => {
    res.json(await listTickets(db, validate(listTicketsQuery, req.query)));
  });

  router.get('/api/tickets/:id', async (req, res) => {
    const id = parseId(req.params.id, 'Ticket');
    // The seller (and the buyer of a sold ticket) also see its code: the answer is per user.
    res.set('Cache-Control', 'no-store');
    res.json(await getTicket(db, id, req.currentUser?.id));
  });

  router.put('/api/tickets/:id', requireAuth, async (req, res) => {
    // The body is checked before the id: API.md orders 400 ahead of 404.
    const input = validate(ticketBody, req.body);
    const ticket = await editTicket(
      db,
      signedInUser(req).id,
      parseId(req.params.id, 'Ticket'),
      input,
    );
    res.json(ticket);
  });

  router.delete('/api/tickets/:id', requireAuth, async (req, res) => {
    const ticket = await withdrawTicket(db, signedInUser(req).id, parseId(req.params.id, 'Ticket'));
    res.json(ticket);
  });

  // Sales live here: tickets knows each sold ticket's seller, buyer, price and time of sale, and
  // every user's public name (docs/decisions/0025-sales.md).
  router.get('/api/sales', requireAuth, async (req, res) => {
    const sellerId = signedInUser(req).id;
    res.json(await listMySales(db, sellerId, validate(paginationQuery, req.query)));
  });

  return router;
}
