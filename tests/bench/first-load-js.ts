// First-load JS of the dashboard: every script the `/` page loads, gzipped. Next 16 no longer
// prints this table, and the page is rendered per request (for the CSP nonce), so it is read
// from the page the real server answers. node --import tsx tests/bench/first-load-js.ts
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import buildWebIfStale from '../support/build-web.ts';
import { PROJECT_ROOT, startServerProcess } from '../support/server-process.ts';
import { deviceCookie } from '../support/sign-in.ts';

buildWebIfStale();
const token = randomBytes(24).toString('hex');
const server = await startServerProcess({ env: { VIBES_TOKEN: token } });
try {
  const cookie = await deviceCookie(server.url, token);
  const html = await (await fetch(`${server.url}/`, { headers: { cookie } })).text();
  // noModule scripts are legacy polyfills that no current browser downloads.
  const tags = [...html.matchAll(/<script[^>]*\ssrc="\/_next\/(static\/[^"]+?\.js)"[^>]*>/g)].filter((match) => !/nomodule/i.test(match[0]));
  const scripts = [...new Set(tags.map((match) => match[1] ?? ''))];
  if (scripts.length === 0) throw new Error(`no scripts found in the page:\n${html.slice(0, 500)}`);
  let raw = 0;
  let gzipped = 0;
  for (const script of scripts) {
    const body = readFileSync(join(PROJECT_ROOT, '.next', script));
    const size = gzipSync(body, { level: 9 }).length;
    raw += body.length;
    gzipped += size;
    console.log(`${(size / 1024).toFixed(1).padStart(7)} KB gz  ${script}`);
  }
  console.log(`first-load JS of /: ${scripts.length} files, ${(raw / 1024).toFixed(1)} KB raw, ${(gzipped / 1024).toFixed(1)} KB gzipped`);
} finally {
  await server.stop();
}
