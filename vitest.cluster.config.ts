import { defineConfig } from 'vitest/config';

// `npm run test:on-cluster`: the single-machine API and CLI suites, unchanged, with every server a
// test starts a one-node cluster on a real Redis and PostgreSQL (tests/support/server-process.ts).
// A file of its own so that plain `vitest run` (and `npm test`) leaves it out.
const onCluster = {
  globalSetup: [
    'tests/support/run-temp.ts',
    'tests/support/build-web.ts',
    'tests/support/build-dist.ts',
    'tests/support/cluster-engines.ts',
  ],
  env: { VIBES_TEST_AS_CLUSTER: '1' },
};

export default defineConfig({
  test: {
    // Every server start here also migrates a PostgreSQL database and joins Redis, so the bounds
    // are wider than the api project's.
    testTimeout: 60_000,
    hookTimeout: 90_000,
    teardownTimeout: 10_000,
    projects: [
      {
        extends: true,
        test: {
          ...onCluster,
          name: 'on-cluster',
          include: ['tests/api/**/*.test.ts'],
          // The dashboard's bundle does not depend on where sessions and devices are kept.
          exclude: ['tests/api/first-load.test.ts'],
          // Two files at once: an API file's servers wait far more than they compute.
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          ...onCluster,
          name: 'on-cluster-cli',
          include: ['tests/cli/**/*.test.ts'],
          // Markdown laid out in a terminal does not depend on the store either; `vibes serve` starts
          // servers of its own, never cluster nodes, so serve.test.ts here would only run again.
          exclude: ['tests/cli/markdown.test.ts', 'tests/cli/serve.test.ts'],
          // One file at a time, after the API files: two at once made 10 s waits of the CLI files
          // time out on two busy cores (each `vibes` start costs a core for a moment).
          maxWorkers: 1,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
