import type { Metadata } from 'next';
import { headers } from 'next/headers';
import Link from '@/components/link';
import { EmptyState } from '@/components/empty-state';
import { MISSING_KIND_HEADER, type MissingKind } from '@/lib/missing-page';

const kinds: Record<MissingKind, { title: string; text: string; action: [string, string] }> = {
  ticket: {
    title: 'Ticket not found',
    text: 'There is no ticket at this address. It may have been mistyped, or the link may be incomplete.',
    action: ['/', 'Browse tickets'],
  },
  order: {
    title: 'Order not found',
    text: 'There is no order of yours at this address. Your orders are all listed in My orders.',
    action: ['/orders', 'My orders'],
  },
  page: {
    title: 'Page not found',
    text: 'There is no page at this address. Check it for typing mistakes, or start again from the home page.',
    action: ['/', 'Browse tickets'],
  },
};

/** The kind proxy.ts found missing (see lib/missing-page.ts); any other 404 is a page. */
async function missingKind(): Promise<MissingKind> {
  const kind = (await headers()).get(MISSING_KIND_HEADER);
  return kind === 'ticket' || kind === 'order' ? kind : 'page';
}

export async function generateMetadata(): Promise<Metadata> {
  return { title: kinds[await missingKind()].title };
}

export default async function NotFound() {
  const { title, text, action } = kinds[await missingKind()];
  return (
    <EmptyState
      title={title}
      headingLevel={1}
      action={
        <Link href={action[0]} className="btn-primary">
          {action[1]}
        </Link>
      }
    >
      {text}
    </EmptyState>
  );
}
