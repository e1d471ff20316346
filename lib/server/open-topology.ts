import { join } from 'node:path';
import { MemoryDeviceStore, MemoryStore } from '../core/index.ts';
import { SqliteStore } from '../core/sqlite-store.ts';
import type { ServerConfig } from './config.ts';
import type { Credentials } from './auth.ts';
import { settleStore, SingleMachine, type Topology } from './topology.ts';

/** One machine, or (VIBES_REDIS_URL and VIBES_DATABASE_URL) a node of a cluster. */
export async function openTopology(config: ServerConfig, credentials: Credentials): Promise<Topology> {
  if (config.databaseUrl) {
    // Only a cluster needs the PostgreSQL and Redis clients: a single machine never loads them.
    const { openClusterNode } = await import('./cluster/topology.ts');
    return openClusterNode(config, credentials);
  }
  const store =
    config.store === 'memory'
      ? new MemoryStore()
      : new SqliteStore(join(config.home, 'vibes.db'), { maxBytes: config.maxDatabaseMb * 1024 * 1024 });
  await settleStore(store, config);
  return new SingleMachine(store, store instanceof SqliteStore ? store.devices : new MemoryDeviceStore(), config, credentials);
}
