import Link from '@/components/link';
import type { NotificationPage } from '@/lib/types';
import { apiGet, getCurrentUser } from '@/lib/server-api';
import { TicketIcon } from './icons';
import { NavMenu } from './nav-menu';
import { NotificationBell } from './notification-bell';

/** The signed-in visitor's unread count for the bell; 0 when the notifications service is away. */
async function unreadCount(): Promise<number> {
  const result = await apiGet<NotificationPage>('/api/notifications?limit=1').catch(() => null);
  return result?.ok ? result.data.unread : 0;
}

/** Rendered on the server with the visitor's session, so it is right on first paint. */
export async function SiteHeader() {
  // The header never takes the page down: if the API cannot answer, the page itself says so.
  const user = await getCurrentUser().catch(() => null);
  return (
    <header className="sticky top-0 z-30 border-b border-slate-200 bg-white/90 backdrop-blur supports-[backdrop-filter]:bg-white/75">
      <div className="mx-auto flex h-16 max-w-6xl items-center justify-between gap-3 px-4 sm:px-6">
        <Link
          href="/"
          className="flex shrink-0 items-center gap-2 text-lg font-bold text-slate-900"
        >
          <span className="flex size-9 items-center justify-center rounded-xl bg-brand-600 text-white shadow-sm">
            <TicketIcon className="size-5" />
          </span>
          <span>Ticketing</span>
        </Link>
        <NavMenu
          user={user ? { name: user.name, email: user.email } : null}
          bell={user ? <NotificationBell initialUnread={await unreadCount()} /> : null}
        />
      </div>
    </header>
  );
}
