'use client';

import { useEffect, useState } from 'react';
import { formatEventDate } from '@/lib/format';

/**
 * An event's start in the visitor's own time zone. The server renders it in UTC (it does not
 * know the zone) and the browser rewrites it in local time once the page is live.
 */
export function LocalDate({ iso, className }: { iso: string; className?: string }) {
  const [text, setText] = useState(() => formatEventDate(iso, 'UTC'));
  useEffect(() => setText(formatEventDate(iso)), [iso]);
  return (
    <time dateTime={iso} className={className} suppressHydrationWarning>
      {text}
    </time>
  );
}
