import { PHASE_PRODUCTION_BUILD } from 'next/constants.js';

/** @type {(phase: string) => import('next').NextConfig} */
export default function nextConfig(phase) {
  return {
    reactStrictMode: true,
    poweredByHeader: false,
    // The agent SDK and sqlite live in the custom server process; a route bundle must never carry them.
    serverExternalPackages: ['@anthropic-ai/claude-agent-sdk', 'better-sqlite3'],
    // `npm run typecheck` checks the whole project, strictly, once; the build need not do it again.
    typescript: { ignoreBuildErrors: true },
    // Each page and route handler loads when first asked for, not all at start: an idle server (or one
    // only the CLI talks to) holds ~14 MB less; the first dashboard load after a start pays ~150 ms.
    // It is read when the server starts, so the build (which lists every experiment it sees as a
    // warning-like line) is not told.
    ...(phase === PHASE_PRODUCTION_BUILD ? {} : { experimental: { preloadEntriesOnStart: false } }),
  };
}
