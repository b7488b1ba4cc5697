/**
 * Bytes written per step: the growth of the database file plus its write-ahead log over a fixed
 * number of `message.send` events to one dispute, sent one at a time (`full` durability), without
 * and with an Idempotency-Key. Small enough a number that SQLite's automatic checkpoint (at 1,000
 * WAL pages) does not start reusing the log, which would hide the growth; a run that reaches it
 * is flagged. Also the bytes the process actually wrote to storage (/proc/<pid>/io), when readable.
 */
import { expectCall, openDisputes, registerOrders } from '../client.ts';
import { messageBody } from '../fixtures.ts';
import { waitIdle } from '../load.ts';
import { withService, type RoundContext } from '../scenario.ts';
import { databaseBytes, writtenBytes } from '../service.ts';

const WAL_FRAME = 4096 + 24; // a page and its frame header
const AUTOCHECKPOINT_PAGES = 1000;

export async function bytesScenario(context: RoundContext) {
  const { figures, options } = context;
  // One fresh service per variant: each starts from an empty log, far from the checkpoint.
  for (const variant of ['plain', 'idempotent'] as const) {
    await withService(context, 'bytes', `bytes.${variant}`, async ({ service, dbPath }) => {
      const [item] = await registerOrders(service.url, 'bytes-', 1, 1);
      const [dispute] = await openDisputes(service.url, [item!], 1);
      await waitIdle(service.url);
      const before = databaseBytes(dbPath);
      const ioBefore = writtenBytes(service.pid);
      for (let i = 0; i < options.bytesEvents; i += 1) {
        const headers: Record<string, string> = variant === 'idempotent' ? { 'idempotency-key': `bench-${i}` } : {};
        await expectCall(200, service.url, 'POST', `/disputes/${dispute!.id}/events`, dispute!.buyerToken, messageBody(i), headers);
      }
      const after = databaseBytes(dbPath);
      const ioAfter = writtenBytes(service.pid);
      const per = (bytes: number) => bytes / options.bytesEvents;
      const suffix = variant === 'plain' ? '' : ', with an Idempotency-Key';
      figures.add(
        { key: `bytes.${variant}`, label: `bytes per step: db + wal growth per message.send${suffix}`, unit: 'B', better: 'lower', limit: 'raw.bytes' },
        per(after.db + after.wal - before.db - before.wal),
      );
      figures.add(
        { key: `bytes.${variant}.frames`, label: `WAL frames (4 KiB pages) per step${suffix}`, unit: 'pages', better: 'lower' },
        per(after.wal - before.wal) / WAL_FRAME,
      );
      if (ioBefore !== undefined && ioAfter !== undefined) {
        figures.add(
          {
            key: `bytes.${variant}.io`,
            label: `bytes per step the process wrote to storage (/proc/<pid>/io)${suffix}`,
            unit: 'B',
            better: 'lower',
            limit: 'raw.bytes',
          },
          per(ioAfter - ioBefore),
        );
      }
      if (after.wal >= AUTOCHECKPOINT_PAGES * WAL_FRAME) {
        figures.note(`bytes.${variant}`, 'the WAL reached the automatic checkpoint: growth underestimates what was written');
      }
    });
  }
}
