'use client';

import { useSearchParams } from 'next/navigation';
import { useCallback } from 'react';

const PARAM = 'session';
let openedFromList = false;

/**
 * The open session lives in the URL (`/?session=ID`), so reload, share and the browser's back
 * button all work. Native pushState keeps Next's router in step without a server round trip.
 */
export function useOpenSession() {
  const params = useSearchParams();
  const openId = params.get(PARAM);

  const open = useCallback((id: string, options: { replace?: boolean } = {}) => {
    const url = `/?${PARAM}=${encodeURIComponent(id)}`;
    if (options.replace) window.history.replaceState(null, '', url);
    else {
      openedFromList = true;
      window.history.pushState(null, '', url);
    }
  }, []);

  const close = useCallback(() => {
    if (openedFromList) {
      openedFromList = false;
      window.history.back();
    } else window.history.pushState(null, '', '/');
  }, []);

  return { openId, open, close };
}
