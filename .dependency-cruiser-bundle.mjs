/**
 * What the dashboard's browser bundle may contain: everything reachable from app/ (route handlers
 * aside) through imports that survive compilation (`import type` does not, so the web's client
 * may name zod-typed shapes without carrying zod). Run by `npm run lint`.
 * @type {import('dependency-cruiser').IConfiguration}
 */
import base from './.dependency-cruiser.mjs';

export default {
  forbidden: [
    {
      name: 'no-zod-in-browser',
      comment: "zod is some 45 KB gzipped: the web trusts the server's shapes (lib/client/web/web-api.ts) and imports them as types.",
      severity: 'error',
      from: { path: '^app/', pathNot: '^app/api/' },
      to: { path: '^node_modules/zod/', reachable: true },
    },
    {
      name: 'no-node-only-code-in-browser',
      comment: 'Node built-ins, lib/core, lib/server, lib/local and lib/client/node do not run in a browser.',
      severity: 'error',
      from: { path: '^app/', pathNot: '^app/api/' },
      to: {
        path: [
          '^lib/(core|server|local)/',
          '^lib/client/node/',
          '^node_modules/(better-sqlite3|eventsource|@anthropic-ai)/',
          '^(node:)?(fs|child_process|http|https|net|os|path|crypto|stream|worker_threads)$',
        ],
        reachable: true,
      },
    },
  ],
  options: { ...base.options, tsPreCompilationDeps: false },
};
