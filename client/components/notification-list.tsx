'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import Link from '@/components/link';
import { callApi } from '@/lib/client-api';
import { announceUnread, linkLabel } from '@/lib/notifications';
import type { AppNotification, NotificationKind, UnreadCount } from '@/lib/types';
import { FormErrors } from './alerts';
import { LocalDate } from './local-date';
import { Spinner } from './icons';

const kindLabel: Record<NotificationKind, string> = {
  reservation: 'Reserved',
  'reservation-ending': 'Ending soon',
  purchase: 'Receipt',
  sale: 'Sold',
  expired: 'Expired',
  suspended: 'Account',
};

/**
 * The notifications of one page, with "Mark read" on each unread one and "Mark all read".
 * Marking updates the list and the bell at once, then the server's view (router.refresh).
 */
export function NotificationList({
  items,
  unread: initialUnread,
}: {
  items: AppNotification[];
  unread: number;
}) {
  const router = useRouter();
  const [readIds, setReadIds] = useState<Set<string>>(new Set());
  const [unread, setUnread] = useState(initialUnread);
  const [busy, setBusy] = useState<string | null>(null);
  const [errors, setErrors] = useState<string[]>([]);

  async function markRead(body: { ids: string[] } | { all: true }, key: string) {
    setBusy(key);
    setErrors([]);
    const result = await callApi<UnreadCount>('POST', '/api/notifications/read', body);
    setBusy(null);
    if (result.status === 401) {
      window.location.assign('/signin?next=/notifications');
      return;
    }
    if (!result.ok) {
      setErrors(result.errors.map((e) => e.message));
      return;
    }
    setReadIds((ids) => new Set([...ids, ...('ids' in body ? body.ids : items.map((i) => i.id))]));
    setUnread(result.data.unread);
    announceUnread(result.data.unread);
    router.refresh();
  }

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <p className="text-sm text-slate-600" aria-live="polite">
          {unread === 0 ? 'All caught up.' : `${unread} unread`}
        </p>
        <button
          type="button"
          className="btn-secondary"
          disabled={unread === 0 || busy !== null}
          onClick={() => void markRead({ all: true }, 'all')}
        >
          {busy === 'all' && <Spinner />}
          Mark all read
        </button>
      </div>
      <FormErrors messages={errors} />
      <ul className="space-y-3">
        {items.map((n) => {
          const isRead = n.readAt !== null || readIds.has(n.id);
          return (
            <li
              key={n.id}
              className={`card flex flex-col gap-3 p-4 sm:flex-row sm:items-start sm:p-5 ${
                isRead ? '' : 'border-brand-200 bg-brand-50/40'
              }`}
              data-unread={isRead ? undefined : 'true'}
            >
              <div className="min-w-0 flex-1">
                <div className="flex flex-wrap items-center gap-2 text-xs font-medium text-slate-600">
                  {!isRead && (
                    <span className="size-2 rounded-full bg-brand-600" aria-hidden="true" />
                  )}
                  <span className="tracking-wide uppercase">{kindLabel[n.kind] ?? n.kind}</span>
                  <span aria-hidden="true">·</span>
                  <LocalDate iso={n.createdAt} />
                  {!isRead && <span className="sr-only">(unread)</span>}
                </div>
                <p className="mt-1 font-semibold break-words text-slate-900">{n.title}</p>
                <p className="mt-1 text-sm break-words text-slate-700">{n.body}</p>
              </div>
              <div className="flex shrink-0 flex-wrap gap-2">
                {n.link && (
                  <Link
                    href={n.link}
                    className="btn-primary"
                    onClick={() => {
                      if (!isRead) void markRead({ ids: [n.id] }, n.id);
                    }}
                  >
                    {linkLabel(n.link)}
                  </Link>
                )}
                {!isRead && (
                  <button
                    type="button"
                    className="btn-secondary"
                    disabled={busy !== null}
                    onClick={() => void markRead({ ids: [n.id] }, n.id)}
                    aria-label={`Mark read: ${n.title}`}
                  >
                    {busy === n.id && <Spinner />}
                    Mark read
                  </button>
                )}
              </div>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
