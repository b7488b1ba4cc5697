/**
 * The writer thread: owns the writing connection of each database the process opened, and runs
 * each group of operations the main thread sends in one transaction. The main thread never waits
 * for an fsync: it goes on serving while this thread commits. One thread serves every database
 * of the process (one in a service, many in a test run), so it starts once.
 */
import { parentPort } from 'node:worker_threads';
import { openWritingConnection, type OpenOptions, type Sqlite } from './connection.ts';
import { writerOps, type WriteOp } from './writer-ops.ts';

export type ToWriter = { open: number; options: OpenOptions } | { group: number; db: number; ops: WriteOp[] } | { close: number };
export type FromWriter =
  { opened: number; error?: string } | { group: number; db: number; results: ReturnType<ReturnType<typeof writerOps>['runGroup']> } | { closed: number };

const port = parentPort!;
const databases = new Map<number, { sqlite: Sqlite; ops: ReturnType<typeof writerOps> }>();
const send = (message: FromWriter) => port.postMessage(message);

port.on('message', (message: ToWriter) => {
  if ('open' in message) {
    try {
      const sqlite = openWritingConnection(message.options);
      databases.set(message.open, { sqlite, ops: writerOps(sqlite) });
      send({ opened: message.open });
    } catch (error) {
      send({ opened: message.open, error: error instanceof Error ? error.message : String(error) });
    }
  } else if ('group' in message) {
    const db = databases.get(message.db);
    const results = db ? db.ops.runGroup(message.ops) : message.ops.map(() => ({ ok: false as const, error: 'the database is closed', code: 'CLOSED' }));
    send({ group: message.group, db: message.db, results });
  } else {
    databases.get(message.close)?.sqlite.close();
    databases.delete(message.close);
    send({ closed: message.close });
  }
});
