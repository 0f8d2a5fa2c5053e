'use client';

import Link from '@/components/link';
import type { Visitor } from '@/lib/types';
import { PlusIcon, UserIcon } from './icons';
import { SignOutButton } from './sign-out-button';
import { useNavLinks } from './use-nav-links';

/** The navigation on wide screens (from `lg`): the links, the bell, profile, sign out, Sell. */
export function WideNav({ user, bell }: { user: Visitor; bell?: React.ReactNode }) {
  const { links, isCurrent, linkClass } = useNavLinks(user !== null);
  return (
    <nav aria-label="Main" className="hidden items-center gap-1 lg:flex">
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
  );
}
