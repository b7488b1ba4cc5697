/**
 * The main thread's side of the writer thread: group commit. Operations submitted while a group
 * is being committed wait and leave together as the next group; an idle writer takes what
 * arrived in the same turn of the event loop. Each caller's promise settles once its own
 * operation's group is durably committed (or failed).
 */
import { Worker } from 'node:worker_threads';
import type { OpenOptions } from './connection.ts';
import type { FromWriter, ToWriter } from './writer-thread.ts';
import type { WriteOp, WriteResult } from './writer-ops.ts';

interface Pending {
  op: WriteOp;
  resolve: (result: WriteResult) => void;
}

export interface Writer {
  submit(op: WriteOp): Promise<WriteResult>;
  /** Groups committed and operations in them, since start (for metrics and the benchmark). */
  readonly stats: { groups: number; ops: number };
  close(): Promise<void>;
}

/** The process's writer thread, started on first use; it keeps the process alive only while busy. */
class WriterThread {
  private worker: Worker | undefined;
  private readonly listeners = new Map<number, (message: FromWriter) => void>();
  private busy = 0;
  private failure: string | undefined;

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(new URL('./writer-boot.mjs', import.meta.url));
    worker.unref();
    worker.on('message', (message: FromWriter) => {
      const key = 'opened' in message ? message.opened : 'group' in message ? message.db : message.closed;
      this.listeners.get(key)?.(message);
    });
    const fail = (reason: string) => {
      this.failure = reason;
      this.worker = undefined;
      for (const listener of [...this.listeners.values()]) listener({ closed: -1 });
    };
    worker.on('error', (error) => fail(`the writer thread failed: ${error.message}`));
    worker.on('exit', (code) => fail(`the writer thread stopped (exit ${code})`));
    this.worker = worker;
    return worker;
  }

  /** Sends a message whose answer keeps the process alive until it comes. */
  post(message: ToWriter) {
    const worker = this.start();
    if (this.busy++ === 0) worker.ref();
    worker.postMessage(message);
  }

  answered() {
    if (--this.busy === 0) this.worker?.unref();
  }

  listen(db: number, listener: (message: FromWriter) => void) {
    this.listeners.set(db, listener);
  }

  forget(db: number) {
    this.listeners.delete(db);
  }

  get failed() {
    return this.failure;
  }
}

const thread = new WriterThread();
let nextDb = 1;

/** Opens a database in the writer thread; resolves once its writing connection is open. */
export async function startWriter(options: OpenOptions, { maxGroup = 2000 } = {}): Promise<Writer> {
  const db = nextDb++;
  let queue: Pending[] = [];
  let inFlight: { id: number; group: Pending[] } | undefined;
  let scheduled = false;
  let nextGroup = 1;
  let closed = false;
  let dead: string | undefined;
  let onIdle: (() => void) | undefined;
  let onOpened: ((error?: string) => void) | undefined;
  let onClosed: (() => void) | undefined;
  const stats = { groups: 0, ops: 0 };

  function flush() {
    scheduled = false;
    if (inFlight) return;
    if (queue.length === 0) return onIdle?.();
    const group = queue.slice(0, maxGroup);
    queue = queue.slice(group.length);
    inFlight = { id: nextGroup++, group };
    thread.post({ group: inFlight.id, db, ops: group.map((p) => p.op) });
  }

  function failAll(reason: string) {
    dead = reason;
    const everyone = [...(inFlight?.group ?? []), ...queue];
    if (inFlight) thread.answered();
    inFlight = undefined;
    queue = [];
    for (const p of everyone) p.resolve({ ok: false, error: reason, code: 'WRITER' });
    onIdle?.();
    onOpened?.(reason);
    onClosed?.();
  }

  thread.listen(db, (message) => {
    if ('closed' in message && message.closed === -1) return failAll(thread.failed ?? 'the writer thread stopped');
    if ('opened' in message) {
      thread.answered();
      return onOpened?.(message.error);
    }
    if ('closed' in message) {
      thread.answered();
      return onClosed?.();
    }
    if (!inFlight || message.group !== inFlight.id) return;
    const { group } = inFlight;
    inFlight = undefined;
    thread.answered();
    stats.groups += 1;
    stats.ops += group.length;
    group.forEach((p, i) => p.resolve(message.results[i]!));
    flush();
  });

  await new Promise<void>((resolve, reject) => {
    onOpened = (error) => (error ? reject(new Error(`the database could not be opened for writing: ${error}`)) : resolve());
    thread.post({ open: db, options });
  });
  onOpened = undefined;

  return {
    stats,
    submit(op) {
      if (closed) return Promise.resolve({ ok: false, error: 'the store is closed', code: 'CLOSED' });
      if (dead) return Promise.resolve({ ok: false, error: dead, code: 'WRITER' });
      return new Promise((resolve) => {
        queue.push({ op, resolve });
        // An idle writer takes everything that arrives in this turn of the event loop.
        if (!inFlight && !scheduled) {
          scheduled = true;
          setImmediate(flush);
        }
      });
    },
    async close() {
      if (closed) return;
      // What was submitted finishes first.
      if (inFlight || queue.length > 0) await new Promise<void>((resolve) => (onIdle = resolve));
      closed = true;
      if (!dead)
        await new Promise<void>((resolve) => {
          onClosed = resolve;
          thread.post({ close: db });
        });
      thread.forget(db);
    },
  };
}
