import NextLink from 'next/link';
import type { ComponentProps } from 'react';

/**
 * next/link that never prefetches. Every page here is rendered per visitor and per moment (the
 * header shows who is signed in; tickets and orders change state), so a page fetched in the
 * background on hover or on sight costs the server a render nobody may look at, and is stale
 * by the time it is shown. ESLint keeps next/link out of the rest of the client.
 */
export default function Link(props: ComponentProps<typeof NextLink>) {
  return <NextLink prefetch={false} {...props} />;
}
