/** A page of the ticket list: the number of its first ticket (from 1), how many it shows. */
interface ShownPage {
  first: number;
  shown: number;
  /** Another page follows. */
  hasNext: boolean;
}

/**
 * What a search found, counting the whole result rather than this page: the total when this is
 * the last page (then it is known), else the range shown and that more follow. `earlier`: an
 * empty page past the end, with results on earlier pages.
 */
export function searchSummary(q: string, page: ShownPage & { earlier?: boolean }): string {
  const what = `whose title contains “${q}”`;
  if (page.shown === 0) {
    return page.earlier
      ? `There are tickets ${what}, but this page is past the last of them.`
      : `No tickets ${what}.`;
  }
  const last = page.first + page.shown - 1;
  if (page.hasNext) return `Tickets ${page.first}–${last} of more than ${last} ${what}.`;
  const total = `${last} ticket${last === 1 ? '' : 's'} ${what}`;
  return page.first === 1 ? `${total}.` : `${page.first}–${last} of ${total}.`;
}

/**
 * The line under a page of tickets: which are shown, and whether they are the last. A page
 * that is the only one says how many there are instead of a range.
 */
export function shownSummary({ first, shown, hasNext }: ShownPage): string {
  const last = first + shown - 1;
  if (hasNext) return `Showing tickets ${first}–${last}.`;
  if (first === 1) {
    if (shown === 1) return 'Showing the only ticket.';
    return shown === 2 ? 'Showing both tickets.' : `Showing all ${shown} tickets.`;
  }
  return shown === 1
    ? `Showing ticket ${first}, the last one.`
    : `Showing tickets ${first}–${last}, the last ones.`;
}
