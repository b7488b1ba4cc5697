/** Opens the store the configuration names: PostgreSQL when a URL is given, else the SQLite file. */
import { openPostgresStore } from './postgres/index.ts';
import { openSqliteStore } from './sqlite/index.ts';
import type { DisputeStore } from './store.ts';

export interface StoreConfig {
  dbPath: string;
  durability: 'full' | 'normal';
  databaseUrl?: string | undefined;
  pgSchema?: string | undefined;
}

export function openStore(config: StoreConfig): Promise<DisputeStore> {
  return config.databaseUrl
    ? openPostgresStore({ url: config.databaseUrl, schema: config.pgSchema })
    : openSqliteStore({ path: config.dbPath, durability: config.durability });
}
