import pg from 'pg';
import { startPostgres, startRedis } from './engines.ts';

/**
 * globalSetup of `npm run test:on-cluster` (vitest.cluster.config.ts): one Redis and one PostgreSQL for the run. Every
 * server a test starts then runs as a one-node cluster on them (see server-process.ts), with
 * its own database and Redis key prefix.
 */
export default async function setup(): Promise<(() => Promise<void>) | undefined> {
  // Vitest runs a global setup once per project (the API files, then the CLI files): the first
  // starts the engines, the others share them, and its teardown stops them at the end of the run.
  if (process.env.VIBES_TEST_REDIS_URL && process.env.VIBES_TEST_POSTGRES_URL) return undefined;
  const [redis, postgres] = await Promise.all([startRedis(), startPostgres()]);
  process.env.VIBES_TEST_REDIS_URL = redis.url;
  process.env.VIBES_TEST_POSTGRES_URL = postgres.url;
  return async () => {
    try {
      // A guard on the guard: the servers really ran as cluster nodes and wrote sessions there.
      const admin = new pg.Client({ connectionString: postgres.url });
      await admin.connect();
      const databases = await admin.query<{ datname: string }>("SELECT datname FROM pg_database WHERE datname LIKE 'h%'");
      await admin.end();
      // Vitest only logs what a teardown throws (and then skips the project's other teardowns):
      // the exit code is what fails the run.
      if (databases.rowCount === 0) {
        console.error('on-cluster: no server ran as a cluster node');
        process.exitCode = 1;
      } else {
        console.log(`on-cluster: ${databases.rowCount} servers ran as one-node clusters on Redis and PostgreSQL`);
      }
    } finally {
      await Promise.all([redis.stop(), postgres.stop()]);
    }
  };
}
