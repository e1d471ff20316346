// `npm run build` and `npm run dev`: writes the routes the service worker calls (public/sw.js, a
// static file that cannot import lib/protocol) from the route table into the worker's generated block.
// tests/unit/client/service-worker-routes.test.ts fails when the committed worker has drifted from the table.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';
import { ENDPOINTS, type RouteName } from '../lib/protocol/endpoints.ts';
import { CLIENT_ID_HEADER } from '../lib/protocol/headers.ts';

export const SERVICE_WORKER_PATH = join(dirname(fileURLToPath(import.meta.url)), '..', 'public', 'sw.js');

/** What Allow and Deny on a notification call: the worker subscribes as a page would, then answers. */
const WORKER_ROUTES = ['subscribe', 'answerPermission'] as const satisfies readonly RouteName[];

const START = '// <generated from lib/protocol by scripts/service-worker-routes.ts: do not edit>';
const END = '// </generated>';

/** The worker's source with its generated block written anew from the table. */
export async function renderServiceWorker(source: string): Promise<string> {
  const start = source.indexOf(START);
  const end = source.indexOf(END);
  if (start < 0 || end < start) throw new Error(`${SERVICE_WORKER_PATH} has no generated block (${START} ... ${END})`);
  const routes = Object.fromEntries(WORKER_ROUTES.map((name) => [name, ENDPOINTS[name]]));
  const block = `${START}\nconst ROUTES = ${JSON.stringify(routes)};\nconst CLIENT_ID_HEADER = ${JSON.stringify(CLIENT_ID_HEADER)};\n`;
  const text = `${source.slice(0, start)}${block}${source.slice(end)}`;
  return prettier.format(text, { ...(await prettier.resolveConfig(SERVICE_WORKER_PATH)), filepath: SERVICE_WORKER_PATH });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const source = readFileSync(SERVICE_WORKER_PATH, 'utf8');
  const rendered = await renderServiceWorker(source);
  if (rendered !== source) writeFileSync(SERVICE_WORKER_PATH, rendered);
  console.log(`service-worker-routes: ${rendered === source ? 'public/sw.js is current' : 'wrote the routes into public/sw.js'}`);
}
