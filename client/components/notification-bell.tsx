'use client';

import { usePathname } from 'next/navigation';
import { useEffect, useRef, useState, type SVGProps } from 'react';
import Link from '@/components/link';
import { callApi } from '@/lib/client-api';
import { UNREAD_CHANGED } from '@/lib/notifications';
import type { NotificationPage } from '@/lib/types';

/** How often the count is asked again while the page stays open (ms). */
const REFRESH_MS = 15_000;

const BellIcon = (p: SVGProps<SVGSVGElement>) => (
  <svg
    viewBox="0 0 24 24"
    fill="none"
    stroke="currentColor"
    strokeWidth={1.8}
    strokeLinecap="round"
    strokeLinejoin="round"
    aria-hidden="true"
    focusable="false"
    {...p}
  >
    <path d="M6 8a6 6 0 1 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
    <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
  </svg>
);

/**
 * The header's bell: a link to the notifications page with the unread count, rendered by the
 * server on first paint and asked again on each navigation, when the window regains focus,
 * every 15 s, and at once when the notifications page marks some read.
 */
export function NotificationBell({ initialUnread }: { initialUnread: number }) {
  const pathname = usePathname();
  const [unread, setUnread] = useState(initialUnread);
  // The header holds a bell for wide and one for narrow screens; only the shown one asks.
  const self = useRef<HTMLAnchorElement>(null);

  useEffect(() => setUnread(initialUnread), [initialUnread]);
  useEffect(() => {
    let live = true;
    const refresh = async () => {
      if (self.current?.offsetParent === null) return;
      const result = await callApi<NotificationPage>('GET', '/api/notifications?limit=1');
      if (live && result.ok) setUnread(result.data.unread);
    };
    const onChanged = (event: Event) => setUnread((event as CustomEvent<number>).detail);
    void refresh();
    const timer = setInterval(() => void refresh(), REFRESH_MS);
    window.addEventListener('focus', refresh);
    window.addEventListener(UNREAD_CHANGED, onChanged);
    return () => {
      live = false;
      clearInterval(timer);
      window.removeEventListener('focus', refresh);
      window.removeEventListener(UNREAD_CHANGED, onChanged);
    };
  }, [pathname]);

  const current = pathname === '/notifications';
  return (
    <Link
      ref={self}
      href="/notifications"
      className={`relative inline-flex min-h-10 items-center justify-center rounded-lg px-2.5 transition-colors ${
        current ? 'bg-brand-50 text-brand-700' : 'text-slate-700 hover:bg-slate-100'
      }`}
      aria-current={current ? 'page' : undefined}
      data-testid="notification-bell"
    >
      <BellIcon className="size-5" />
      <span className="sr-only">
        {unread > 0 ? `Notifications, ${unread} unread` : 'Notifications'}
      </span>
      {unread > 0 && (
        <span
          aria-hidden="true"
          className="absolute -top-0.5 -right-0.5 flex min-w-5 items-center justify-center rounded-full bg-red-600 px-1 text-xs leading-5 font-semibold text-white"
        >
          {unread > 99 ? '99+' : unread}
        </span>
      )}
    </Link>
  );
}
