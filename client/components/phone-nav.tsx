'use client';

import { createPortal } from 'react-dom';
import Link from '@/components/link';
import type { Visitor } from '@/lib/types';
import { CloseIcon, MenuIcon, PlusIcon } from './icons';
import { SignOutButton } from './sign-out-button';
import { useMenuToggle } from './use-menu-toggle';
import { useNavLinks } from './use-nav-links';

/**
 * The navigation below `lg`: the bell, Sell (or Sign up) and a menu button; the menu drops
 * below the header over a dimmed page, which closes it when tapped.
 */
export function PhoneNav({ user, bell }: { user: Visitor; bell?: React.ReactNode }) {
  const { links, isCurrent, linkClass } = useNavLinks(user !== null);
  const { open, toggle, close, button, menuId } = useMenuToggle();
  return (
    <>
      <div className="flex items-center gap-2 lg:hidden">
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
          onClick={toggle}
        >
          {open ? <CloseIcon className="size-6" /> : <MenuIcon className="size-6" />}
          <span className="sr-only">Menu</span>
        </button>
      </div>
      {/* In <body>, not in the header: the header's backdrop blur would make a fixed element
          inside it cover the header only. Below the header (z-30), so the menu stays bright. */}
      {open &&
        createPortal(
          <div
            aria-hidden="true"
            className="fixed inset-0 z-20 bg-slate-900/40 lg:hidden"
            onClick={close}
          />,
          document.body,
        )}
      <nav
        id={menuId}
        aria-label="Main"
        hidden={!open}
        className="absolute inset-x-0 top-16 border-b border-slate-200 bg-white px-4 pt-2 pb-4 shadow-lg lg:hidden"
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
