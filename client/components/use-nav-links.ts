'use client';

import { usePathname } from 'next/navigation';

const signedInLinks = [
  { href: '/', label: 'Browse' },
  { href: '/orders', label: 'My orders' },
  { href: '/listings', label: 'My listings' },
  { href: '/sales', label: 'My sales' },
];
const signedOutLinks = [{ href: '/', label: 'Browse' }];

/**
 * The site's main links for a signed-in visitor or not, which of them is the current page
 * (a section counts for the pages under it: /orders for /orders/…), and their look.
 */
export function useNavLinks(signedIn: boolean) {
  const pathname = usePathname();
  const isCurrent = (href: string) =>
    href === '/' ? pathname === '/' : pathname === href || pathname.startsWith(`${href}/`);
  const linkClass = (href: string) =>
    `rounded-lg px-3 py-2 text-sm font-medium transition-colors ${
      isCurrent(href) ? 'bg-brand-50 text-brand-700' : 'text-slate-700 hover:bg-slate-100'
    }`;
  return { links: signedIn ? signedInLinks : signedOutLinks, isCurrent, linkClass };
}
