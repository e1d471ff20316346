import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderServiceWorker, SERVICE_WORKER_PATH } from '../../../scripts/service-worker-routes.ts';
import { fillPath } from '../../../lib/protocol/route-path.ts';

const worker = readFileSync(SERVICE_WORKER_PATH, 'utf8');
const [before = '', generated = '', after = ''] = worker.split(/(\/\/ <generated[^\n]*\n[\s\S]*?\/\/ <\/generated>)/);

describe('the service worker (public/sw.js) takes its routes from the table', () => {
  it('its generated block is what the route table gives today (run `npx tsx scripts/service-worker-routes.ts` when this fails)', async () => {
    expect(await renderServiceWorker(worker)).toBe(worker);
  });

  it('writes no API path or header by hand outside the generated block, and names only generated routes', () => {
    const handWritten = before + after;
    expect(handWritten).not.toMatch(/\/api\//);
    expect(handWritten.toLowerCase()).not.toContain('x-vibes-client-id');
    const used = [...new Set([...handWritten.matchAll(/ROUTES\.(\w+)/g)].map((match) => match[1]))];
    expect(used.length).toBeGreaterThan(0);
    for (const name of used) expect(generated).toContain(`${name}: {`);
  });

  it('fills a path as the clients do', () => {
    const pathOf = new Function(`${/const pathOf = [^\n]*/.exec(worker)?.[0]}; return pathOf;`)() as (
      route: { path: string },
      params: Record<string, string>,
    ) => string;
    const path = '/api/sessions/:id/permissions/:requestId' as const;
    const params = { id: 's 1/x', requestId: 'r?2' };
    expect(pathOf({ path }, params)).toBe(fillPath(path, params));
  });
});
