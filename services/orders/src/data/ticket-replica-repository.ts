import type { Queryable } from '@ticketing/common';

/** A ticket as the orders service knows it; `price` is in cents. */
export interface TicketReplica {
  id: string;
  title: string;
  price: number;
  userId: string;
  version: number;
}

const columns = 'id, title, price, user_id AS "userId", version';

/** Stores a ticket seen for the first time; false when it is already here (no change made). */
export async function insertTicket(db: Queryable, ticket: TicketReplica): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO tickets (id, title, price, user_id, version) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (id) DO NOTHING`,
    [ticket.id, ticket.title, ticket.price, ticket.userId, ticket.version],
  );
  return rowCount > 0;
}

/** Moves the replica to `ticket.version` only from the version just before it; false otherwise. */
export async function updateTicketFromPreviousVersion(
  db: Queryable,
  ticket: TicketReplica,
): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE tickets SET title = $2, price = $3, user_id = $4, version = $5
     WHERE id = $1 AND version = $5 - 1`,
    [ticket.id, ticket.title, ticket.price, ticket.userId, ticket.version],
  );
  return rowCount > 0;
}

export async function findTicket(db: Queryable, id: string): Promise<TicketReplica | undefined> {
  const { rows } = await db.query<TicketReplica>(`SELECT ${columns} FROM tickets WHERE id = $1`, [
    id,
  ]);
  return rows[0];
}

/** Reads the ticket and holds its row lock until the transaction ends. */
export async function lockTicket(tx: Queryable, id: string): Promise<TicketReplica | undefined> {
  const { rows } = await tx.query<TicketReplica>(
    `SELECT ${columns} FROM tickets WHERE id = $1 FOR UPDATE`,
    [id],
  );
  return rows[0];
}
