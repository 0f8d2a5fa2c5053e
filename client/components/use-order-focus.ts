'use client';

import { useCallback, useEffect, useRef } from 'react';
import { takeFocusRequest } from '@/lib/focus-request';

/**
 * Where focus goes on the order page. Arriving from Buy, the button that had focus is gone:
 * the order's heading takes it instead of leaving it to the top of the document. Once paying
 * or cancelling has started (`markActed`), each new result takes focus as it replaces the form:
 * `result` is the heading of the result shown, focused whenever `state` or `confirming` change.
 */
export function useOrderFocus(state: string, confirming: boolean) {
  const heading = useRef<HTMLHeadingElement>(null);
  const result = useRef<HTMLHeadingElement>(null);
  const acted = useRef(false);

  useEffect(() => {
    if (takeFocusRequest('order')) heading.current?.focus();
  }, []);
  useEffect(() => {
    if (acted.current) result.current?.focus();
  }, [state, confirming]);

  const markActed = useCallback(() => {
    acted.current = true;
  }, []);

  return { heading, result, markActed };
}
