/**
 * A request, made before a client-side navigation, that the next page move focus to its
 * result: after Buy, the button that had focus is gone, and without this the next Tab would
 * start again from "Skip to content". Module state survives client-side navigations only,
 * which is the point: a page loaded afresh (a reload, a link from elsewhere) keeps the
 * browser's own focus.
 */
let requested: string | null = null;

/** Asks the next page that knows `target` (e.g. 'order') to focus its result. */
export function requestFocus(target: string): void {
  requested = target;
}

/** True once if focus was requested for `target`; the request is used up either way. */
export function takeFocusRequest(target: string): boolean {
  const wanted = requested === target;
  requested = null;
  return wanted;
}
