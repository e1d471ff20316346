'use client';

import { useEffect } from 'react';
import type { SessionInfo } from '../../lib/protocol/session.ts';
import type { WebApi } from '../../lib/client/web/web-api.ts';

type BadgingNavigator = Navigator & { setAppBadge?: (count?: number) => Promise<void>; clearAppBadge?: () => Promise<void> };

/**
 * While sessions wait for approval the tab says so: "(1) vibes", an icon with a dot and, where
 * the platform has it, the installed app's badge, so a tab in the background shows it too.
 */
export function useAttentionTitle(sessions: readonly SessionInfo[] | undefined): void {
  const waiting = sessions?.filter((session) => session.pending_permissions.length > 0).length ?? 0;
  useEffect(() => {
    document.title = waiting > 0 ? `(${waiting}) vibes` : 'vibes';
    for (const link of document.querySelectorAll<HTMLLinkElement>('link[rel="icon"]')) {
      link.dataset.plainHref ??= link.href;
      link.href = waiting > 0 ? '/icon-alert.svg' : link.dataset.plainHref;
    }
    const badging = navigator as BadgingNavigator;
    const badge = waiting > 0 ? badging.setAppBadge?.(waiting) : badging.clearAppBadge?.();
    badge?.catch(() => undefined);
  }, [waiting]);
}

/**
 * Tells the server which session this page shows and whether someone is looking at it (visible
 * and focused), so that session sends no notification meanwhile.
 */
export function useWatchReport(api: WebApi, clientId: string | null, sessionId: string | null): void {
  useEffect(() => {
    if (!clientId) return;
    let last = '';
    const report = () => {
      const looking = document.visibilityState === 'visible' && document.hasFocus();
      const state = `${sessionId}:${looking}`;
      if (state === last) return;
      last = state;
      api.watch(sessionId, looking).catch(() => (last = ''));
    };
    report();
    const events = ['focus', 'blur'] as const;
    for (const name of events) window.addEventListener(name, report);
    document.addEventListener('visibilitychange', report);
    return () => {
      for (const name of events) window.removeEventListener(name, report);
      document.removeEventListener('visibilitychange', report);
    };
  }, [api, clientId, sessionId]);
}
