'use client';

import type { ReactNode } from 'react';
import type { Visitor } from '@/lib/types';
import { PhoneNav } from './phone-nav';
import { WideNav } from './wide-nav';

/**
 * The site navigation: inline from the `lg` breakpoint (1024 px: five links, the profile and
 * two buttons need it), behind a menu button below it.
 * The menu closes on navigation and on Escape, and gives focus back to its button.
 */
export function NavMenu({ user, bell }: { user: Visitor; bell?: ReactNode }) {
  return (
    <>
      <WideNav user={user} bell={bell} />
      <PhoneNav user={user} bell={bell} />
    </>
  );
}
