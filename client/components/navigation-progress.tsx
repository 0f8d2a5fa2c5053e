'use client';

import { usePathname, useSearchParams } from 'next/navigation';
import { useEffect, useState } from 'react';

/**
 * A thin bar at the top of the window while a link's page loads. Pages render on the server
 * in one piece (no loading.js skeleton: a first load would stream the skeleton before the
 * content, and without JavaScript the content would never show), so this is the feedback for
 * navigations inside the app. It starts on a click on a same-origin link and ends when the
 * URL the router shows changes. The search form (next/form) navigates too; the other forms
 * send their data with fetch and show their own progress.
 */
export function NavigationProgress() {
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const [pending, setPending] = useState(false);

  useEffect(() => setPending(false), [pathname, searchParams]);

  useEffect(() => {
    function onClick(event: MouseEvent) {
      if (event.defaultPrevented || event.button !== 0) return;
      if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      const link = (event.target as Element | null)?.closest?.('a[href]');
      if (!(link instanceof HTMLAnchorElement) || link.target || link.hasAttribute('download')) {
        return;
      }
      const to = new URL(link.href, window.location.href);
      const here = window.location;
      if (to.origin !== here.origin) return;
      if (to.pathname === here.pathname && to.search === here.search) return;
      setPending(true);
    }
    function onSubmit(event: SubmitEvent) {
      const form = event.target;
      if (form instanceof HTMLFormElement && form.getAttribute('role') === 'search') {
        setPending(true);
      }
    }
    document.addEventListener('click', onClick);
    document.addEventListener('submit', onSubmit);
    return () => {
      document.removeEventListener('click', onClick);
      document.removeEventListener('submit', onSubmit);
    };
  }, []);

  useEffect(() => {
    if (!pending) return;
    // A navigation that never lands (an error page, a download) must not leave the bar up.
    const timer = setTimeout(() => setPending(false), 15_000);
    return () => clearTimeout(timer);
  }, [pending]);

  if (!pending) return null;
  return (
    <div
      className="pointer-events-none fixed inset-x-0 top-0 z-50 h-1 overflow-hidden"
      role="status"
    >
      <span className="sr-only">Loading…</span>
      <div className="h-full w-full origin-left animate-[progress_8s_cubic-bezier(0.1,0.7,0.2,1)_forwards] bg-brand-500 opacity-0 [animation-delay:120ms]" />
    </div>
  );
}
