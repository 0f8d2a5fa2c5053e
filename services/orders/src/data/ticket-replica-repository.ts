import type { Queryable } from '@ticketing/common';

/** A ticket as the orders service knows it; `price` is in cents. */
export interface TicketReplica {
  id: string;
  title: string;
  price: number;
  userId: string;
  /** Null only for tickets listed in the first release, which never had one. */
  venue: string | null;
  startsAt: Date | null;
  /** The tickets service's status; orders only acts on `withdrawn` (it decides the rest). */
  status: 'available' | 'reserved' | 'sold' | 'withdrawn';
  version: number;
}

const columns = `id, title, price, user_id AS "userId", venue, starts_at AS "startsAt", status,
  version`;

/** Stores a ticket seen for the first time; false when it is already here (no change made). */
export async function insertTicket(db: Queryable, ticket: TicketReplica): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO tickets (id, title, price, user_id, venue, starts_at, status, version)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (id) DO NOTHING`,
    [
      ticket.id,
      ticket.title,
      ticket.price,
      ticket.userId,
      ticket.venue,
      ticket.startsAt,
      ticket.status,
      ticket.version,
    ],
  );
  return rowCount > 0;
}

/** Moves the replica to `ticket.version` only from the version just before it; false otherwise. */
export async function updateTicketFromPreviousVersion(
  db: Queryable,
  ticket: TicketReplica,
): Promise<boolean> {
  const { rowCount } = await db.query(
    `UPDATE tickets SET title = $2, price = $3, user_id = $4, venue = $5, starts_at = $6,
       status = $7, version = $8
     WHERE id = $1 AND version = $8 - 1`,
    [
      ticket.id,
      ticket.title,
      ticket.price,
      ticket.userId,
      ticket.venue,
      ticket.startsAt,
      ticket.status,
      ticket.version,
    ],
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
