import pg from 'pg';

export interface Statement {
  sql: string;
  params?: readonly unknown[];
}

/** BIGINT columns hold Unix seconds: numbers, not strings. */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === pg.types.builtins.INT8
      ? Number
      : (pg.types.getTypeParser(oid, format) as (value: string) => unknown)) as typeof pg.types.getTypeParser,
};

/** Bound on one round trip (ms). */
const TIMEOUT_MS = 10_000;

/**
 * PostgreSQL through a small pool, never blocking the event loop: each call is a promise that
 * settles when PostgreSQL answered (a transaction: once committed), bounded by `TIMEOUT_MS`.
 */
export class Postgres {
  readonly #pool: pg.Pool;
  #closed: Promise<void> | null = null;

  constructor(url: string) {
    this.#pool = new pg.Pool({
      connectionString: url,
      max: 4,
      connectionTimeoutMillis: TIMEOUT_MS,
      statement_timeout: TIMEOUT_MS,
      query_timeout: TIMEOUT_MS + 1000,
      idleTimeoutMillis: 30_000,
      allowExitOnIdle: true,
      types,
    });
    // A connection dropped while idle is replaced at the next call; the call that needs one fails on its own.
    this.#pool.on('error', () => undefined);
  }

  async query<Row = Record<string, unknown>>(sql: string, params: readonly unknown[] = []): Promise<Row[]> {
    this.#open();
    return (await this.#pool.query(sql, params as unknown[])).rows as Row[];
  }

  /** Every statement in one transaction; the rows of each, in order. */
  async transaction(statements: readonly Statement[]): Promise<Record<string, unknown>[][]> {
    if (statements.length === 0) return [];
    this.#open();
    const client = await this.#pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const rows: Record<string, unknown>[][] = [];
      try {
        for (const { sql, params } of statements) rows.push((await client.query<Record<string, unknown>>(sql, params as unknown[])).rows);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch((rollback: unknown) => (broken = rollback as Error));
        throw error;
      }
      return rows;
    } finally {
      // A connection that could not even roll back is not given to the next caller.
      client.release(broken);
    }
  }

  #open(): void {
    if (this.#closed) throw new Error('the PostgreSQL connection is closed');
  }

  /** Waits for the calls under way, then closes every connection. */
  close(): Promise<void> {
    this.#closed ??= this.#pool.end().catch(() => undefined);
    return this.#closed;
  }
}
