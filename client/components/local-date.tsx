'use client';

import { useEffect, useState } from 'react';
import { formatEventDateParts } from '@/lib/format';

/**
 * An event's start in the visitor's own time zone. The server renders it in UTC (it does not
 * know the zone) and the browser rewrites it in local time once the page is live. The time
 * ("7:30 PM") never breaks across lines; the date may.
 */
export function LocalDate({ iso, className }: { iso: string; className?: string }) {
  const [text, setText] = useState(() => formatEventDateParts(iso, 'UTC'));
  useEffect(() => setText(formatEventDateParts(iso)), [iso]);
  return (
    <time dateTime={iso} className={className} suppressHydrationWarning>
      {text.date}
      <span className="whitespace-nowrap" suppressHydrationWarning>
        {text.time}
      </span>
    </time>
  );
}
