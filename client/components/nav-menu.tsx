'use client';

import Link from '@/components/link';
import { usePathname } from 'next/navigation';
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { CloseIcon, MenuIcon, PlusIcon, UserIcon } from './icons';
import { SignOutButton } from './sign-out-button';

type Visitor = { name: string; email: string } | null;

const signedInLinks = [
  { href: '/', label: 'Browse' },
  { href: '/orders', label: 'My orders' },
  { href: '/listings', label: 'My listings' },
];

/**
 * The site navigation: inline from the `md` breakpoint, behind a menu button below it.
 * The menu closes on navigation and on Escape, and gives focus back to its button.
 */
export function NavMenu({ user, bell }: { user: Visitor; bell?: ReactNode }) {
  const pathname = usePathname();
  const [open, setOpen] = useState(false);
  const menuId = useId();
  const button = useRef<HTMLButtonElement>(null);

  useEffect(() => setOpen(false), [pathname]);
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        setOpen(false);
        button.current?.focus();
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [open]);

  const isCurrent = (href: string) =>
    href === '/' ? pathname === '/' : pathname === href || pathname.startsWith(`${href}/`);
  const linkClass = (href: string) =>
    `rounded-lg px-3 py-2 text-sm font-medium transition-colors ${
      isCurrent(href) ? 'bg-brand-50 text-brand-700' : 'text-slate-700 hover:bg-slate-100'
    }`;

  const links = user ? signedInLinks : [{ href: '/', label: 'Browse' }];

  return (
    <>
      {/* Wide screens */}
      <nav aria-label="Main" className="hidden items-center gap-1 md:flex">
        {links.map((l) => (
          <Link
            key={l.href}
            href={l.href}
            className={linkClass(l.href)}
            aria-current={isCurrent(l.href) ? 'page' : undefined}
          >
            {l.label}
          </Link>
        ))}
        <span className="mx-2 h-6 w-px bg-slate-200" aria-hidden="true" />
        {user ? (
          <>
            {bell}
            <Link
              href="/profile"
              className={`${linkClass('/profile')} flex max-w-48 items-center gap-1.5`}
              aria-current={isCurrent('/profile') ? 'page' : undefined}
              title={`Profile of ${user.name}`}
            >
              <UserIcon className="size-4 shrink-0" />
              <span className="truncate">{user.name}</span>
            </Link>
            <SignOutButton className="btn-ghost min-h-9 px-3 py-2" />
            <Link href="/sell" className="btn-primary ml-1 min-h-10">
              <PlusIcon className="size-4" />
              Sell a ticket
            </Link>
          </>
        ) : (
          <>
            <Link href="/signin" className={linkClass('/signin')}>
              Sign in
            </Link>
            <Link href="/signup" className="btn-primary ml-1 min-h-10">
              Sign up
            </Link>
          </>
        )}
      </nav>

      {/* Narrow screens */}
      <div className="flex items-center gap-2 md:hidden">
        {bell}
        <Link
          href={user ? '/sell' : '/signup'}
          className="btn-primary min-h-10 px-3"
          aria-label={user ? 'Sell a ticket' : undefined}
        >
          {user ? (
            <>
              <PlusIcon className="size-4" />
              Sell
            </>
          ) : (
            'Sign up'
          )}
        </Link>
        <button
          ref={button}
          type="button"
          className="btn-ghost min-h-10 px-2.5"
          aria-expanded={open}
          aria-controls={menuId}
          onClick={() => setOpen((o) => !o)}
        >
          {open ? <CloseIcon className="size-6" /> : <MenuIcon className="size-6" />}
          <span className="sr-only">Menu</span>
        </button>
      </div>
      <nav
        id={menuId}
        aria-label="Main"
        hidden={!open}
        className="absolute inset-x-0 top-16 border-b border-slate-200 bg-white px-4 pt-2 pb-4 shadow-lg md:hidden"
      >
        <ul className="flex flex-col gap-1">
          {links.map((l) => (
            <li key={l.href}>
              <Link
                href={l.href}
                className={`${linkClass(l.href)} block py-3`}
                aria-current={isCurrent(l.href) ? 'page' : undefined}
              >
                {l.label}
              </Link>
            </li>
          ))}
          {user ? (
            <>
              <li>
                <Link href="/profile" className={`${linkClass('/profile')} block py-3`}>
                  Profile <span className="text-slate-500">· {user.name}</span>
                </Link>
              </li>
              <li className="mt-2 border-t border-slate-100 pt-2">
                <SignOutButton className="btn-secondary w-full" />
              </li>
            </>
          ) : (
            <li>
              <Link href="/signin" className={`${linkClass('/signin')} block py-3`}>
                Sign in
              </Link>
            </li>
          )}
        </ul>
      </nav>
    </>
  );
}
