import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { ServerProcess } from './server-process.ts';

/**
 * What a test reads or changes under a server's API: its SQLite file, or (when the server runs as
 * a one-node cluster, `npm run test:on-cluster`) its PostgreSQL database. The SQL used must mean
 * the same in both.
 */
export interface ServerStore {
  readonly kind: 'sqlite' | 'postgres';
  exec(sql: string): Promise<void>;
  /** Everything the store holds, as text or bytes: to show that a secret is not in it. */
  contents(): Promise<Buffer>;
  /** SQLite's own check of the file ('ok'); PostgreSQL checks its pages itself: 'ok' once every table reads. */
  integrity(): Promise<string>;
}

export function storeOf(server: Pick<ServerProcess, 'home' | 'databaseUrl'>): ServerStore {
  const { databaseUrl } = server;
  if (databaseUrl === undefined) {
    const path = join(server.home, 'vibes.db');
    const open = () => {
      if (!existsSync(path)) throw new Error(`no database at ${path}`);
      return new Database(path);
    };
    return {
      kind: 'sqlite',
      exec: async (sql) => {
        const db = open();
        try {
          db.prepare(sql).run();
        } finally {
          db.close();
        }
      },
      contents: async () => readFileSync(path),
      integrity: async () => {
        const db = open();
        try {
          return (db.pragma('integrity_check') as { integrity_check: string }[]).map((row) => row.integrity_check).join('\n');
        } finally {
          db.close();
        }
      },
    };
  }
  const withClient = async <T>(use: (client: pg.Client) => Promise<T>): Promise<T> => {
    const client = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 10_000 });
    await client.connect();
    try {
      return await use(client);
    } finally {
      await client.end();
    }
  };
  const everyRow = () =>
    withClient(async (client) => {
      const tables = await client.query<{ name: string }>("SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'");
      const rows: string[] = [];
      for (const { name } of tables.rows) {
        const result = await client.query<{ row: string }>(`SELECT t::text AS row FROM "${name}" t`);
        rows.push(...result.rows.map((row) => row.row));
      }
      return rows;
    });
  return {
    kind: 'postgres',
    exec: (sql) => withClient(async (client) => void (await client.query(sql))),
    contents: async () => Buffer.from((await everyRow()).join('\n')),
    integrity: async () => ((await everyRow()).length > 0 ? 'ok' : 'empty'),
  };
}
