import { fromCents, type Database, type Page } from '@ticketing/common';
import { listSalesOfSeller, type SaleRecord } from '../data/sales-repository.js';
import type { SaleView } from './ticket-schemas.js';

const toSaleView = (s: SaleRecord): SaleView => ({
  ticket: {
    id: s.ticketId,
    title: s.title,
    venue: s.venue,
    startsAt: s.startsAt?.toISOString() ?? null,
  },
  orderId: s.orderId,
  buyer: { id: s.buyerId, name: s.buyerName },
  amount: fromCents(s.amount),
  soldAt: s.soldAt.toISOString(),
});

/** A page of the signed-in seller's sold tickets, newest sale first (GET /api/sales). */
export async function listMySales(db: Database, sellerId: string, page: Page): Promise<SaleView[]> {
  return (await listSalesOfSeller(db, sellerId, page)).map(toSaleView);
}
