/**
 * A separate process that drives the runtime on a database file and prints one line per
 * acknowledged (committed) step, for the crash, downtime and two-process tests:
 *
 *   node --import tsx test/support/driver.ts open   <db>                       -> OPENED <id>
 *   node --import tsx test/support/driver.ts load   <db> <disputes>            -> ACK <id> <version> <body>, forever
 *   node --import tsx test/support/driver.ts hammer <db> <id> <n> <role> <who> [<other>] -> READY, then once <db>.go
 *     exists, ACK <id> <version> <body>, n times; with <other>, every 25 steps it waits until <other> is as far
 */
import { existsSync, writeFileSync } from 'node:fs';
import type { Actor } from '../../machines/index.ts';
import { startService } from '../../server/service.ts';
import { notReceived, sampleOrder, testConfig } from './service.ts';

const [command, dbPath, ...args] = process.argv.slice(2);
if (!command || !dbPath) throw new Error('usage: driver.ts open|load|hammer <db> ...');

// DATABASE_URL and ARBITER_PG_SCHEMA, when set, put the store on PostgreSQL instead of the file.
const service = await startService(testConfig(dbPath, { databaseUrl: process.env.DATABASE_URL, pgSchema: process.env.ARBITER_PG_SCHEMA ?? 'public' }));
await service.scheduler.stop();
const buyer: Actor = { role: 'buyer', id: 'buyer-1' };
const write = (line: string) => process.stdout.write(`${line}\n`);

async function openOne(orderId: string): Promise<string> {
  await service.store.registerOrder(sampleOrder(service.clock.now(), orderId), service.clock.now());
  const result = await service.runtime.open(orderId, 'item-1', notReceived, buyer);
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.dispute.id;
}

if (command === 'open') {
  write(`OPENED ${await openOne(args[0] ?? 'order-1')}`);
  await service.stop();
} else if (command === 'load') {
  const ids: string[] = [];
  for (let i = 0; i < Number(args[0] ?? 10); i += 1) {
    const id = await openOne(`order-${i}`);
    ids.push(id);
    write(`ACK ${id} 1 opened`);
  }
  for (let n = 0; ; n += 1) {
    const id = ids[n % ids.length]!;
    const body = `m-${n}`;
    const by: Actor = n % 2 ? buyer : { role: 'seller', id: 'seller-1' };
    const result = await service.runtime.send(id, { type: 'message.send', body }, by);
    if (!result.ok) throw new Error(JSON.stringify(result.error));
    write(`ACK ${id} ${result.dispute.version} ${body}`);
  }
} else if (command === 'hammer') {
  const [id, count, role, who] = args as [string, string, Actor['role'], string];
  // Both hammers start together: each waits for the test's go file after saying it is ready.
  write('READY');
  while (!existsSync(`${dbPath}.go`)) await new Promise((resolve) => setTimeout(resolve, 5));
  const [other] = args.slice(4);
  // Every MEET_EVERY steps, each hammer waits until the other has written as many. Under load one
  // process can otherwise win every race (or start late) and write all its steps in one run,
  // which tests nothing about interleaving (seen once in CI, on PostgreSQL). Between meetings
  // both write at once, racing for the same dispute.
  const MEET_EVERY = 25;
  const meet = async (n: number) => {
    writeFileSync(`${dbPath}.at.${who}.${n}`, '');
    const until = Date.now() + 60_000;
    while (!existsSync(`${dbPath}.at.${other}.${n}`)) {
      if (Date.now() > until) throw new Error(`${other} never reached step ${n}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };
  for (let n = 0; n < Number(count); n += 1) {
    if (other && n > 0 && n % MEET_EVERY === 0) await meet(n);
    const body = `${who}-${n}`;
    // Like a well-behaved client, retry a step answered "busy" (nothing was written).
    let result = await service.runtime.send(id, { type: 'message.send', body }, { role, id: who });
    while (!result.ok && result.error.kind === 'busy') result = await service.runtime.send(id, { type: 'message.send', body }, { role, id: who });
    if (!result.ok) throw new Error(JSON.stringify(result.error));
    write(`ACK ${id} ${result.dispute.version} ${body}`);
    // A client's think time, a millisecond or two: two clients in lockstep would let the faster
    // one win every race, which tests nothing about interleaving.
    await new Promise((resolve) => setTimeout(resolve, Math.random() * 2));
  }
  await service.stop();
} else {
  throw new Error(`unknown command ${command}`);
}
