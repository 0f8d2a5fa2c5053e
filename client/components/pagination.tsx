import Link from '@/components/link';
import { ArrowLeftIcon, ArrowRightIcon } from './icons';

/** Previous / next links; `href(page)` builds each page's URL (pages count from 1). */
export function Pagination({
  page,
  hasNext,
  href,
}: {
  page: number;
  hasNext: boolean;
  href: (page: number) => string;
}) {
  if (page <= 1 && !hasNext) return null;
  return (
    <nav aria-label="Pages" className="mt-8 flex items-center justify-between gap-4">
      {page > 1 ? (
        <Link href={href(page - 1)} className="btn-secondary" rel="prev">
          <ArrowLeftIcon className="size-4" />
          Previous
        </Link>
      ) : (
        <span />
      )}
      <span className="text-sm text-slate-600">Page {page}</span>
      {hasNext ? (
        <Link href={href(page + 1)} className="btn-secondary" rel="next">
          Next
          <ArrowRightIcon className="size-4" />
        </Link>
      ) : (
        <span />
      )}
    </nav>
  );
}
