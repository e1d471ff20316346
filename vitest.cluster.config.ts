import { defineConfig } from 'vitest/config';

// `npm run test:on-cluster`: the single-machine API and CLI suites, unchanged, with every server a
// test starts a one-node cluster on a real Redis and PostgreSQL (tests/support/server-process.ts).
// A file of its own so that plain `vitest run` (and `npm test`) leaves it out.
export default defineConfig({
  test: {
    // One file at a time: two at once made 10 s waits of the CLI files time out on two busy cores.
    // Every server start here also migrates a PostgreSQL database and joins Redis, so the bounds
    // are wider than the api project's.
    maxWorkers: 1,
    testTimeout: 60_000,
    hookTimeout: 90_000,
    teardownTimeout: 10_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'on-cluster',
          include: ['tests/api/**/*.test.ts', 'tests/cli/**/*.test.ts'],
          // Neither depends on where sessions and devices are kept: the dashboard's bundle, Markdown
          // laid out in a terminal.
          exclude: ['tests/api/first-load.test.ts', 'tests/cli/markdown.test.ts'],
          globalSetup: ['tests/support/build-web.ts', 'tests/support/build-cli.ts', 'tests/support/cluster-engines.ts'],
          env: { VIBES_TEST_AS_CLUSTER: '1' },
        },
      },
    ],
  },
});
