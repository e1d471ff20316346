import { expect, it } from 'vitest';
import { FIRST_LOAD_BUDGET_BYTES, measureFirstLoad } from '../support/first-load.ts';
import { useServer } from '../support/api-harness.ts';

const vibes = useServer();

it(`the dashboard's first-load JS stays within ${FIRST_LOAD_BUDGET_BYTES / 1024} KB gzipped`, async () => {
  const load = await measureFirstLoad(vibes.server, vibes.token);
  const table = load.scripts.map((script) => `${(script.gzipped / 1024).toFixed(1)} KB  ${script.path}`).join('\n');
  console.log(`first-load JS: ${(load.gzipped / 1024).toFixed(1)} KB gzipped (budget ${FIRST_LOAD_BUDGET_BYTES / 1024} KB)`);
  expect(load.gzipped, `first-load JS is ${(load.gzipped / 1024).toFixed(1)} KB gzipped:\n${table}`).toBeLessThanOrEqual(
    FIRST_LOAD_BUDGET_BYTES,
  );
});
