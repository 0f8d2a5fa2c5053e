import type { EventData, Queryable, Subjects } from '@ticketing/common';
import { upsertSeller } from '../data/seller-repository.js';

/**
 * user:created / user:updated: keeps the seller's public name. Every event carries the full name,
 * so the highest version wins; a duplicate or an older one changes nothing and is acknowledged.
 */
export async function recordSellerName(
  tx: Queryable,
  user: EventData<typeof Subjects.UserCreated>,
): Promise<void> {
  await upsertSeller(tx, { id: user.id, name: user.name, version: user.version });
}
