import type { Metadata } from 'next';
import { PageHeader } from '@/components/page-header';
import { TicketForm } from '@/components/ticket-form';
import { requireUser } from '@/lib/server-api';

export const metadata: Metadata = { title: 'Sell a ticket' };

export default async function SellPage() {
  await requireUser('/sell');
  return (
    <div className="mx-auto max-w-2xl">
      <PageHeader
        title="Sell a ticket"
        description="List it in a minute. Buyers pay through the marketplace; you can change every detail until someone starts buying it."
      />
      <div className="card p-5 sm:p-8">
        <TicketForm />
      </div>
    </div>
  );
}
