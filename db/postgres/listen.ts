/**
 * Commits made by other instances, heard with LISTEN on the channel the commit function
 * notifies. One dedicated connection; if it drops, it reconnects (commits missed meanwhile show
 * on the next read, as they would without notifications).
 */
import pg from 'pg';
import { schemaOf, type PostgresOptions } from './connection.ts';

type Listener = (commit: { disputeId: string; from: number; to: number }) => void;

export async function listenForCommits(options: PostgresOptions, origin: string) {
  const listeners = new Set<Listener>();
  let client: pg.Client | undefined;
  let closed = false;
  let retry: NodeJS.Timeout | undefined;

  async function connect() {
    const next = new pg.Client({ connectionString: options.url, options: `-c search_path=${schemaOf(options)}` });
    next.on('notification', (message) => {
      if (!message.payload) return;
      const commit = JSON.parse(message.payload) as { disputeId: string; from: number; to: number; origin: string };
      if (commit.origin === origin) return;
      for (const listener of listeners) listener({ disputeId: commit.disputeId, from: commit.from, to: commit.to });
    });
    next.on('error', () => reconnect());
    next.on('end', () => reconnect());
    await next.connect();
    // Channels are per database; the schema in the name keeps instances of different schemas apart.
    await next.query(`listen arbiter_commits_${schemaOf(options)}`);
    client = next;
  }

  function reconnect() {
    if (closed || retry) return;
    client = undefined;
    retry = setTimeout(() => {
      retry = undefined;
      connect().catch(() => reconnect());
    }, 1000);
    retry.unref();
  }

  await connect();
  return {
    subscribe(listener: Listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      closed = true;
      if (retry) clearTimeout(retry);
      await client?.end().catch(() => {});
    },
  };
}
