import type { Queryable } from '@ticketing/common';

/** A seller's public name as the replica knows it. */
export interface SellerRecord {
  id: string;
  name: string;
  version: number;
}

/**
 * Stores the seller's name if this version is newer than the one held. Each user event carries
 * the whole public profile, so the highest version wins and a gap in versions loses nothing.
 * Returns false when the event was a duplicate or older (nothing changed).
 */
export async function upsertSeller(db: Queryable, seller: SellerRecord): Promise<boolean> {
  const { rowCount } = await db.query(
    `INSERT INTO sellers (id, name, version) VALUES ($1, $2, $3)
     ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, version = EXCLUDED.version
       WHERE sellers.version < EXCLUDED.version`,
    [seller.id, seller.name, seller.version],
  );
  return rowCount > 0;
}

export async function findSellerName(db: Queryable, id: string): Promise<string | null> {
  const { rows } = await db.query<{ name: string }>('SELECT name FROM sellers WHERE id = $1', [id]);
  return rows[0]?.name ?? null;
}
