import { createRequire } from 'node:module';
import { MessageChannel, Worker, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';

export interface Statement {
  sql: string;
  params?: readonly unknown[];
}

/** An error PostgreSQL answered with; `code` is its SQLSTATE (23505: unique violation). */
export class PostgresError extends Error {
  readonly code: string | undefined;
  constructor(message: string, code: string | undefined) {
    super(message);
    this.name = 'PostgresError';
    this.code = code;
  }
}

interface Reply {
  id: number;
  rows?: Record<string, unknown>[][];
  error?: { message: string; code?: string };
}

// Runs in a worker: the `pg` client is asynchronous, the store interface is not. BIGINT columns
// (Unix seconds) come back as numbers.
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const pg = require('node:module').createRequire(workerData.requireFrom)('pg');
pg.types.setTypeParser(20, Number);
const { port, state, url, statementTimeoutMs } = workerData;
const pool = new pg.Pool({ connectionString: url, max: 1, connectionTimeoutMillis: statementTimeoutMs, statement_timeout: statementTimeoutMs, idleTimeoutMillis: 0 });
pool.on('error', () => {});
port.on('message', async ({ id, statements, transaction }) => {
  let reply;
  let client;
  try {
    client = await pool.connect();
    const rows = [];
    if (transaction) await client.query('BEGIN');
    try {
      for (const { sql, params } of statements) rows.push((await client.query(sql, params)).rows);
      if (transaction) await client.query('COMMIT');
    } catch (error) {
      if (transaction) await client.query('ROLLBACK').catch(() => {});
      throw error;
    }
    reply = { id, rows };
  } catch (error) {
    reply = { id, error: { message: String(error && error.message || error), code: error && error.code } };
    if (client && !error.code) { client.release(error); client = undefined; }
  } finally {
    if (client) client.release();
  }
  port.postMessage(reply);
  Atomics.add(state, 0, 1);
  Atomics.notify(state, 0);
});
`;

/**
 * PostgreSQL behind a synchronous call: the calling thread waits (bounded) while a worker runs
 * the statements. The store interface is synchronous so that a write returns once committed;
 * on loopback or a LAN a round trip is well under a millisecond to a few.
 */
export class SyncPostgres {
  readonly #worker: Worker;
  readonly #port: MessagePort;
  readonly #state = new Int32Array(new SharedArrayBuffer(4));
  readonly #timeoutMs: number;
  #nextId = 0;
  #closed = false;

  constructor(url: string, options: { timeoutMs?: number } = {}) {
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    const { port1, port2 } = new MessageChannel();
    this.#port = port1;
    this.#worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        port: port2,
        state: this.#state,
        url,
        statementTimeoutMs: this.#timeoutMs,
        requireFrom: createRequire(import.meta.url).resolve('pg'),
      },
      transferList: [port2],
    });
    this.#worker.unref();
    this.#port.unref();
  }

  query<Row = Record<string, unknown>>(sql: string, params: readonly unknown[] = []): Row[] {
    return this.#run([{ sql, params }], false)[0] as Row[];
  }

  /** Every statement in one transaction; the rows of each, in order. */
  transaction(statements: readonly Statement[]): Record<string, unknown>[][] {
    if (statements.length === 0) return [];
    return this.#run(statements, true);
  }

  #run(statements: readonly Statement[], transaction: boolean): Record<string, unknown>[][] {
    if (this.#closed) throw new Error('the PostgreSQL connection is closed');
    const id = ++this.#nextId;
    this.#port.postMessage({ id, statements, transaction });
    const deadline = Date.now() + this.#timeoutMs + 1000;
    for (;;) {
      // Read the counter before looking at the port: a reply posted after the look moves it.
      const seen = Atomics.load(this.#state, 0);
      for (let message = receiveMessageOnPort(this.#port); message; message = receiveMessageOnPort(this.#port)) {
        const reply = message.message as Reply;
        // A reply to a call that timed out earlier is dropped.
        if (reply.id !== id) continue;
        if (reply.error) throw new PostgresError(reply.error.message, reply.error.code);
        return reply.rows ?? [];
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new PostgresError(`PostgreSQL did not answer within ${this.#timeoutMs} ms`, undefined);
      Atomics.wait(this.#state, 0, seen, left);
    }
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#port.close();
    void this.#worker.terminate();
  }
}
