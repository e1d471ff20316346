// The event loop of a cluster node while its sessions write a burst to PostgreSQL: TICKS ticks
// (one setImmediate each, as the session manager's) each publish one transcript event for each
// of SESSIONS sessions; what is not yet written goes in the next transaction, one in flight at a
// time, as the manager commits. Prints the event-loop delay (perf_hooks monitorEventLoopDelay
// p50/p99/max), how long until every event was committed, and the rows found afterwards.
// Needs postgres on PATH (started on loopback in a temp dir, as the cluster tests do).
// Run: node --import tsx tests/bench/cluster-write-burst.ts [ticks] [sessions]
import { monitorEventLoopDelay } from 'node:perf_hooks';
import pg from 'pg';
import { startPostgres } from '../support/engines.ts';
import * as postgresStore from '../../lib/core/cluster/postgres-store.ts';
import type { SessionSnapshot } from '../../lib/core/events.ts';
import type { StoreWrite } from '../../lib/core/store.ts';

const TICKS = Number(process.argv[2] ?? 2000);
const SESSIONS = Number(process.argv[3] ?? 20);

/** What both the blocking store (write returns when committed) and the asynchronous one (a promise) offer. */
interface BurstStore {
  write(batch: StoreWrite): void | Promise<void>;
  close(): void | Promise<void>;
}
interface StoreModule {
  PostgresStore: {
    open?: (options: { url: string; node: string }) => Promise<BurstStore>;
    new (options: { url: string; node: string }): BurstStore;
  };
}

function snapshot(id: string, now: number): SessionSnapshot {
  return {
    id,
    name: null,
    state: 'processing',
    owner_id: 'bench',
    created_at: now,
    last_activity_at: now,
    cwd: '/tmp',
    model: null,
    permission_mode: 'default',
    todos: null,
    cost_usd: 0,
    claude_session_id: null,
    failure: null,
    demo: true,
    title: id,
    preview: null,
    git_branch: null,
    start_commit: null,
    node: 'bench',
    subscriber_count: 0,
    pending_permissions: [],
    queued_inputs: 0,
    ended_at: null,
    end_reason: null,
  } as unknown as SessionSnapshot;
}

const postgres = await startPostgres();
try {
  const url = await postgres.newDatabase();
  const { PostgresStore } = postgresStore as unknown as StoreModule;
  const options = { url, node: 'bench' };
  const store = PostgresStore.open ? await PostgresStore.open(options) : new PostgresStore(options);
  const now = Math.floor(Date.now() / 1000);
  const ids = Array.from({ length: SESSIONS }, (_, index) => `burst-${index}`);
  await store.write({ sessions: ids.map((id) => snapshot(id, now)) });

  let pending: NonNullable<StoreWrite['events']>[number][] = [];
  let inFlight = false;
  let produced = 0;
  let done!: () => void;
  const committed = new Promise<void>((resolve) => (done = resolve));
  const pump = () => {
    if (inFlight) return;
    if (pending.length === 0) {
      if (produced === TICKS) done();
      return;
    }
    const events = pending;
    pending = [];
    const written = store.write({ events });
    if (written instanceof Promise) {
      inFlight = true;
      written.then(
        () => {
          inFlight = false;
          pump();
        },
        (error: unknown) => {
          console.error(error);
          process.exit(1);
        },
      );
    } else pump();
  };

  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  const started = performance.now();
  await new Promise<void>((resolve) => {
    const tick = () => {
      produced++;
      for (const id of ids)
        pending.push({
          sessionId: id,
          entry: {
            seq: produced,
            at: now,
            event: { type: 'assistant_text', message_id: `m${produced}`, text: 'x'.repeat(80), final: false },
          } as never,
        });
      pump();
      if (produced < TICKS) setImmediate(tick);
      else resolve();
    };
    setImmediate(tick);
  });
  const producedMs = performance.now() - started;
  await committed;
  const committedMs = performance.now() - started;
  delay.disable();
  await store.close();

  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  const rows = Number((await admin.query<{ count: string }>('SELECT count(*) FROM events')).rows[0]?.count);
  await admin.end();
  const ms = (nanoseconds: number) => (nanoseconds / 1e6).toFixed(1);
  console.log(
    `${TICKS} ticks × ${SESSIONS} sessions = ${TICKS * SESSIONS} events: ` +
      `event-loop delay p50 ${ms(delay.percentile(50))} ms, p99 ${ms(delay.percentile(99))} ms, max ${ms(delay.max)} ms; ` +
      `ticks done in ${producedMs.toFixed(0)} ms, all committed in ${committedMs.toFixed(0)} ms; ${rows} rows in PostgreSQL`,
  );
  if (rows !== TICKS * SESSIONS) process.exitCode = 1;
} finally {
  await postgres.stop();
}
