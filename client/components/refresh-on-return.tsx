'use client';

import { useRouter } from 'next/navigation';
import { useEffect } from 'react';

/**
 * Back and Forward show a page as it is now, not as it was: the router restores pages from its
 * cache on history navigation, and a ticket bought a moment ago would offer "Buy" again. So a
 * page shown again — by Back/Forward, or from the browser's back-forward cache — is rendered
 * afresh by the server (what is on screen stays until the fresh one arrives).
 */
export function RefreshOnReturn() {
  const router = useRouter();
  useEffect(() => {
    // After the router's own popstate handling (a later task), so the refresh is for the
    // page being shown, not for the one being left.
    const onPopState = () => setTimeout(() => router.refresh(), 0);
    const onPageShow = (event: PageTransitionEvent) => {
      if (event.persisted) router.refresh();
    };
    window.addEventListener('popstate', onPopState);
    window.addEventListener('pageshow', onPageShow);
    return () => {
      window.removeEventListener('popstate', onPopState);
      window.removeEventListener('pageshow', onPageShow);
    };
  }, [router]);
  return null;
}
