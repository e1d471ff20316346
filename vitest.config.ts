import { defineConfig } from 'vitest/config';

// Every test and every hook has a time bound: one hung test must not cost the whole run.
export default defineConfig({
  test: {
    // Vitest's default is one worker per core less one: on a 2-core machine, one file at a time.
    // Most files wait on servers and child processes, so two at once keep both cores busy.
    maxWorkers: 2,
    testTimeout: 20_000,
    hookTimeout: 20_000,
    teardownTimeout: 10_000,
    // expect.poll waits for a state that does come; Vitest's default of 1 s fails it when a loaded machine is late.
    expect: { poll: { timeout: 15_000 } },
    globalSetup: ['tests/support/run-temp.ts'],
    projects: [
      {
        extends: true,
        // The fast tier (`npm run test:unit`): no servers, browsers, databases or child processes.
        test: { name: 'unit', include: ['tests/unit/**/*.test.ts'], setupFiles: ['tests/support/unit-tier.ts'] },
      },
      {
        extends: true,
        test: { name: 'integration', include: ['tests/integration/**/*.test.ts'] },
      },
      {
        extends: true,
        test: {
          name: 'api',
          include: ['tests/api/**/*.test.ts'],
          globalSetup: ['tests/support/build-web.ts', 'tests/support/build-dist.ts'],
          // Above the 45 s a wait for one event may last (tests/support/waits.ts).
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'cli',
          include: ['tests/cli/**/*.test.ts'],
          globalSetup: ['tests/support/build-web.ts', 'tests/support/build-dist.ts'],
          // A file's cases wait on CLI processes side by side; each `vibes` start costs CPU, so a few at a time.
          maxConcurrency: 3,
          // A case runs several `vibes` processes one after another, each seconds long on a loaded machine.
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          // `npm pack`, a global install of the tarball into a temporary prefix, `vibes serve` from there.
          name: 'install',
          include: ['tests/install/**/*.test.ts'],
          globalSetup: ['tests/support/build-web.ts', 'tests/support/build-dist.ts'],
          testTimeout: 360_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          // Nodes joined through a real Redis and PostgreSQL, started by the tests on loopback.
          name: 'cluster',
          include: ['tests/cluster/**/*.test.ts'],
          globalSetup: ['tests/support/build-web.ts', 'tests/support/build-dist.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          // The real Claude Code binary against a scripted model: seconds per start, so bounds are generous.
          name: 'real-claude',
          // Last, on its own, one file at a time: a file's sessions already run together, and each
          // real Claude costs a core for a second or two to start.
          sequence: { groupOrder: 1 },
          maxWorkers: 1,
          maxConcurrency: 8,
          include: ['tests/real-claude/**/*.test.ts'],
          globalSetup: ['tests/support/build-web.ts', 'tests/support/build-dist.ts'],
          testTimeout: 90_000,
          hookTimeout: 90_000,
        },
      },
    ],
  },
});
