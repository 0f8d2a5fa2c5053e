import { fromCents, type Database, type Page } from '@ticketing/common';
import { listSalesOfSeller, type SaleRecord } from '../data/sales-repository.js';

/** A sale as API.md's Sales section shows it: amount in currency units, times ISO in UTC. */
export interface SaleView {
  ticket: { id: string; title: string; venue: string | null; startsAt: string | null };
  orderId: string;
  buyer: { id: string; name: string | null };
  amount: number;
  soldAt: string;
}

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
