import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { PROJECT_ROOT, type ServerProcess } from './server-process.ts';
import { deviceCookie } from './sign-in.ts';

/** The dashboard's promise to a phone on a slow network (docs/benchmarks.md). */
export const FIRST_LOAD_BUDGET_BYTES = 150 * 1024;

export interface FirstLoad {
  scripts: { path: string; raw: number; gzipped: number }[];
  raw: number;
  gzipped: number;
}

/**
 * Every script the `/` page loads, gzipped, read from the page the real server answers (Next 16
 * no longer prints this table, and the page is rendered per request for the CSP nonce).
 */
export async function measureFirstLoad(server: ServerProcess, token: string): Promise<FirstLoad> {
  const cookie = await deviceCookie(server.url, token);
  const html = await (await fetch(`${server.url}/`, { headers: { cookie } })).text();
  // noModule scripts are legacy polyfills that no current browser downloads.
  const tags = [...html.matchAll(/<script[^>]*\ssrc="\/_next\/(static\/[^"]+?\.js)"[^>]*>/g)].filter(
    (match) => !/nomodule/i.test(match[0]),
  );
  const paths = [...new Set(tags.map((match) => match[1] ?? ''))];
  if (paths.length === 0) throw new Error(`no scripts found in the page:\n${html.slice(0, 500)}`);
  const scripts = paths.map((path) => {
    const body = readFileSync(join(PROJECT_ROOT, '.next', path));
    return { path, raw: body.length, gzipped: gzipSync(body, { level: 9 }).length };
  });
  const sum = (key: 'raw' | 'gzipped') => scripts.reduce((total, script) => total + script[key], 0);
  return { scripts, raw: sum('raw'), gzipped: sum('gzipped') };
}
