/**
 * Bytes written per step: the growth of the database file plus its write-ahead log over a fixed
 * number of `message.send` events to one dispute, sent one at a time (`full` durability), without
 * and with an Idempotency-Key. Small enough a number that SQLite's automatic checkpoint (at 1,000
 * WAL pages) does not start reusing the log, which would hide the growth; a run that reaches it
 * is flagged. Also the bytes the process actually wrote to storage (/proc/<pid>/io), when readable.
 *
 * On PostgreSQL the files are the server's: the figure is the WAL the server wrote over the same
 * events (pg_current_wal_insert_lsn before and after), beside a bare commit's WAL (pg-bare.ts).
 * The server is shared, so it is an upper bound; the note gives what others wrote meanwhile.
 */
import { expectCall, openDisputes, registerOrders } from '../client.ts';
import { messageBody } from '../fixtures.ts';
import { waitIdle } from '../load.ts';
import { withClient } from '../place.ts';
import { withService, type RoundContext } from '../scenario.ts';
import { databaseBytes, writtenBytes } from '../service.ts';
import { walDuring } from './pg-bare.ts';

const WAL_FRAME = 4096 + 24; // a page and its frame header
const AUTOCHECKPOINT_PAGES = 1000;

export async function bytesScenario(context: RoundContext) {
  const { figures, options } = context;
  // One fresh service per variant: each starts from an empty log, far from the checkpoint.
  for (const variant of ['plain', 'idempotent'] as const) {
    await withService(context, 'bytes', `bytes.${variant}`, async ({ service, place }) => {
      const [item] = await registerOrders(service.url, 'bytes-', 1, 1);
      const [dispute] = await openDisputes(service.url, [item!], 1);
      await waitIdle(service.url);
      const sendAll = async () => {
        for (let i = 0; i < options.bytesEvents; i += 1) {
          const headers: Record<string, string> = variant === 'idempotent' ? { 'idempotency-key': `bench-${i}` } : {};
          await expectCall(200, service.url, 'POST', `/disputes/${dispute!.id}/events`, dispute!.buyerToken, messageBody(i), headers);
        }
      };
      const per = (bytes: number) => bytes / options.bytesEvents;
      const suffix = variant === 'plain' ? '' : ', with an Idempotency-Key';
      if (place.kind === 'postgres') {
        const wal = await withClient(place, (client) => walDuring(client, sendAll));
        const label = `bytes per step: WAL bytes per message.send${suffix}`;
        figures.add({ key: `bytes.${variant}`, label, unit: 'B', better: 'lower', limit: 'raw.bytes' }, per(wal.bytes));
        figures.note(
          `bytes.${variant}`,
          `WAL of the whole server over ${wal.seconds.toFixed(1)} s: others wrote ${Math.round(wal.backgroundPerS)} B/s just before`,
        );
        return;
      }
      const pid = service.instances[0]!.pid;
      const before = databaseBytes(place.dbPath);
      const ioBefore = writtenBytes(pid);
      await sendAll();
      const after = databaseBytes(place.dbPath);
      const ioAfter = writtenBytes(pid);
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
