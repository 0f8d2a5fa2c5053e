'use client';

import { useEffect, useState } from 'react';

/**
 * A hidden `tz` field holding the browser's time zone, so that the date filters it travels with
 * mean the visitor's own days (see lib/local-day.ts). Empty until the page's script runs.
 */
export function TimeZoneInput({ initial }: { initial?: string }) {
  const [zone, setZone] = useState(initial ?? '');
  useEffect(() => {
    setZone(Intl.DateTimeFormat().resolvedOptions().timeZone ?? '');
  }, []);
  return <input type="hidden" name="tz" value={zone} />;
}
