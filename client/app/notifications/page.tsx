import type { Metadata } from 'next';
import Link from '@/components/link';
import { Notice } from '@/components/alerts';
import { EmptyState } from '@/components/empty-state';
import { NotificationList } from '@/components/notification-list';
import { PageHeader } from '@/components/page-header';
import { Pagination } from '@/components/pagination';
import type { NotificationPage } from '@/lib/types';
import { apiGet, requireUser } from '@/lib/server-api';

export const metadata: Metadata = { title: 'Notifications' };

const PAGE_SIZE = 20;

export default async function NotificationsPage({ searchParams }: PageProps<'/notifications'>) {
  await requireUser('/notifications');
  const params = await searchParams;
  const page = Math.max(1, Math.floor(Number(params.page)) || 1);
  const query = new URLSearchParams({
    limit: String(PAGE_SIZE + 1),
    offset: String((page - 1) * PAGE_SIZE),
  });
  const result = await apiGet<NotificationPage>(`/api/notifications?${query}`);

  return (
    <>
      <PageHeader
        title="Notifications"
        description="Reservations, receipts and sales: what happened to your tickets, newest first."
      />
      {!result.ok ? (
        <Notice tone="error" title="Your notifications could not be loaded" role="alert">
          {result.errors.map((e) => e.message).join(' ')} Reload the page to try again.
        </Notice>
      ) : result.data.items.length === 0 && page === 1 ? (
        <EmptyState
          title="No notifications yet"
          action={
            <Link href="/" className="btn-primary">
              Browse tickets
            </Link>
          }
        >
          When you reserve, buy or sell a ticket, you hear about it here and by email.
        </EmptyState>
      ) : (
        <>
          <NotificationList
            items={result.data.items.slice(0, PAGE_SIZE)}
            unread={result.data.unread}
          />
          <Pagination
            page={page}
            hasNext={result.data.items.length > PAGE_SIZE}
            href={(p) => (p === 1 ? '/notifications' : `/notifications?page=${p}`)}
          />
        </>
      )}
    </>
  );
}
