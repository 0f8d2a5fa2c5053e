/**
 * The floor: a bare express 5 + pg server, in a process of its own, running the same SQL as the
 * app's handlers with nothing else around it (no sessions, validation, logs, metrics, events).
 *   POST /reserve {ticketId, buyer}  createOrder's statements, on FLOOR_DB: a database of its
 *                                    own on the app's PostgreSQL server, with the orders schema
 *   POST /seed {count}               inserts `count` tickets into FLOOR_DB; answers their ids
 *   GET  /tickets, /tickets/:id      the tickets service's list and show, on READ_DB (the app's
 *                                    own tickets database, read only)
 * Prints "listening <port>" once it serves.
 */
import { randomUUID } from 'node:crypto';
import express from 'express';
import { messagingMigrations, migrate, validate } from '@ticketing/common';
import { openPostgres } from '@ticketing/common/postgres';
import { ordersMigrations } from '../services/orders/src/data/migrations.js';
import { insertTicket } from '../services/orders/src/data/ticket-replica-repository.js';
import { createOrder, orderRounds } from '../services/orders/src/domain/create-order.js';
import { getTicket, listTickets } from '../services/tickets/src/domain/tickets-use-cases.js';
import { listTicketsQuery } from '../services/tickets/src/domain/ticket-schemas.js';

const floorDb = await openPostgres(process.env.FLOOR_DB!, { poolSize: 10 });
await migrate(floorDb, [...messagingMigrations, ...ordersMigrations]);
const readDb = await openPostgres(process.env.READ_DB!, { poolSize: 10 });
// The same algorithm as the app's: orders for one ticket arriving together share one read.
const rounds = orderRounds(floorDb);

const statusOf = (error: unknown) => (error as { status?: number }).status ?? 500;
const app = express();
app.use(express.json());
app.post('/reserve', async (req, res) => {
  try {
    res.status(201).json(
      await createOrder(
        floorDb,
        req.body.buyer,
        { ticketId: req.body.ticketId },
        // The app's defaults; every floor buyer orders once, so the limit never bites.
        { windowSeconds: 900, maxUnpaid: 5, rounds },
      ),
    );
  } catch (error) {
    res.status(statusOf(error)).json({ errors: [{ message: (error as Error).message }] });
  }
});
app.post('/seed', async (req, res) => {
  const ids = Array.from({ length: Number(req.body.count) }, () => randomUUID());
  await floorDb.transaction(async (tx) => {
    for (const id of ids)
      await insertTicket(tx, {
        id,
        title: 'Floor ticket',
        price: 2500,
        userId: 'floor-seller',
        venue: 'Floor Hall',
        startsAt: new Date(Date.now() + 7 * 86_400_000),
        status: 'available',
        version: 0,
      });
  });
  res.json(ids);
});
app.get('/tickets', async (req, res) => {
  res.json(await listTickets(readDb, validate(listTicketsQuery, req.query)));
});
app.get('/tickets/:id', async (req, res) => {
  try {
    // Anonymous, as the bench's app reads are.
    res.json(await getTicket(readDb, req.params.id, undefined));
  } catch (error) {
    res.status(statusOf(error)).end();
  }
});
const server = app.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  console.log(`listening ${(server.address() as { port: number }).port}`);
});
process.on('SIGTERM', () => {
  server.close();
  void Promise.all([floorDb.close(), readDb.close()]).then(() => process.exit(0));
});
