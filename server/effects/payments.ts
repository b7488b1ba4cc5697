/**
 * Money leaving the service: refunds to the buyer (R-REF-*) and releases to the seller
 * (R-FUND-*), through a payment provider behind one small interface. The default is a simulated
 * provider on the service clock, so every path can be exercised by anyone:
 *
 * - a refund settles on a deterministic business day within its method's window (R-REF-2) and
 *   is reported back through the API as `system` (`refund.settled`);
 * - test instruments fail: `tok_card_expired` fails on the original method (the retry to the
 *   account behind it settles, R-REF-1); `tok_account_closed` fails on both (R-REF-3);
 * - requests carry an idempotency key: a repeated request is acknowledged, never paid twice.
 *
 * A real provider implements `PaymentProvider` and reports back through the API
 * (`POST /disputes/{id}/events` as `system`). The simulated one keeps its book in its own file.
 */
import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { addBusinessDays, type Policy } from '../../machines/index.ts';
import type { OutboxRow } from '../../db/store.ts';
import type { Clock } from '../runtime/clock.ts';
import type { Handler, Outcome } from './dispatcher.ts';

export interface RefundRequest {
  idempotencyKey: string;
  disputeId: string;
  refundId: string;
  attempt: number;
  amount: number;
  currency: string;
  method: keyof Policy['settlement'];
  instrument: string | null;
  destination: 'original_method' | 'account_behind_method';
}

export interface ReleaseRequest {
  idempotencyKey: string;
  disputeId: string;
  amount: number;
  currency: string;
  sellerId: string;
}

export interface PaymentProvider {
  /** Accepts a refund for processing (settlement is reported later); `ok: false` is retried. */
  refund(request: RefundRequest): Promise<Outcome>;
  release(request: ReleaseRequest): Promise<Outcome>;
}

/** Maps the outbox's payment effects to the provider. */
export function paymentsHandler(provider: PaymentProvider): Handler {
  return async function carryOutPayment(row: OutboxRow) {
    const p = row.payload;
    if (row.kind === 'requestRefund') {
      return provider.refund({
        idempotencyKey: `${p.refundId}:${p.attempt}`,
        disputeId: row.disputeId,
        refundId: String(p.refundId),
        attempt: Number(p.attempt),
        amount: Number(p.amount),
        currency: String(p.currency),
        method: p.method as RefundRequest['method'],
        instrument: (p.instrument as string | null) ?? null,
        destination: p.destination as RefundRequest['destination'],
      });
    }
    if (row.kind === 'releaseFunds') {
      return provider.release({
        idempotencyKey: row.deliveryId,
        disputeId: row.disputeId,
        amount: Number(p.amount),
        currency: String(p.currency),
        sellerId: String(p.sellerId),
      });
    }
    return { ok: false, error: `unknown payment effect ${row.kind}` };
  };
}

/** Reports a provider outcome to the service; `true` once the service took it (or refused it for good). */
export type Reporter = (disputeId: string, event: Record<string, unknown>, reportId: string) => Promise<boolean>;

export interface SimulatedProvider extends PaymentProvider {
  /** Reports what fell due by now; returns how many reports the service took. */
  tick(): Promise<number>;
  book(disputeId: string): { kind: string; amount: number; outcome: string; reportAt: string; reportedAt: string | null; refundId: string | null }[];
  /** When the next report falls due after `after`, if any. */
  nextReportAt(after: string): string | undefined;
  close(): void;
}

export function createSimulatedProvider(options: { dbPath: string; clock: Clock; settlement: Policy['settlement']; report: Reporter }): SimulatedProvider {
  const { clock, settlement, report } = options;
  mkdirSync(dirname(options.dbPath), { recursive: true });
  const db = new Database(options.dbPath);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  db.exec(`create table if not exists simulated_payments (
    idempotency_key text primary key, kind text not null, dispute_id text not null, refund_id text, amount integer not null,
    currency text not null, outcome text not null, failure text, report_at text not null, reported_at text, created_at text not null)`);
  db.exec('create index if not exists simulated_payments_due on simulated_payments (reported_at, report_at)');
  const insert = db.prepare(
    `insert into simulated_payments (idempotency_key, kind, dispute_id, refund_id, amount, currency, outcome, failure, report_at, reported_at, created_at)
     values (@idempotencyKey, @kind, @disputeId, @refundId, @amount, @currency, @outcome, @failure, @reportAt, @reportedAt, @createdAt)
     on conflict (idempotency_key) do nothing`,
  );
  const due = db.prepare(`select * from simulated_payments where reported_at is null and report_at <= ? order by report_at limit 100`);
  const markReported = db.prepare(`update simulated_payments set reported_at = ? where idempotency_key = ?`);
  const nextDue = db.prepare(`select min(report_at) as at from simulated_payments where reported_at is null and report_at > ?`);
  const book = db.prepare(
    `select kind, amount, outcome, report_at as reportAt, reported_at as reportedAt, refund_id as refundId from simulated_payments where dispute_id = ? order by created_at, idempotency_key`,
  );

  /**
   * A business day within the method's window, the same for the same refund (R-REF-2); before
   * its last day, so a refund the simulator settles is never also flagged overdue (R-REF-3).
   */
  function settlementDay(request: RefundRequest): number {
    const { minBusinessDays, maxBusinessDays } = settlement[request.method];
    const spread = Math.max(1, maxBusinessDays - minBusinessDays);
    return minBusinessDays + (createHash('sha256').update(request.refundId).digest().readUInt32BE(0) % spread);
  }

  return {
    async refund(request) {
      const now = clock.now();
      const failure =
        request.instrument === 'tok_account_closed'
          ? 'account closed'
          : request.instrument === 'tok_card_expired' && request.destination === 'original_method'
            ? 'card expired'
            : null;
      insert.run({
        idempotencyKey: request.idempotencyKey,
        kind: 'refund',
        disputeId: request.disputeId,
        refundId: request.refundId,
        amount: request.amount,
        currency: request.currency,
        outcome: failure ? 'fail' : 'settle',
        failure,
        reportAt: failure ? addBusinessDays(now, 1) : addBusinessDays(now, settlementDay(request)),
        reportedAt: null,
        createdAt: now,
      });
      return { ok: true };
    },
    async release(request) {
      const now = clock.now();
      insert.run({
        idempotencyKey: request.idempotencyKey,
        kind: 'release',
        disputeId: request.disputeId,
        refundId: null,
        amount: request.amount,
        currency: request.currency,
        outcome: 'settle',
        failure: null,
        reportAt: now,
        reportedAt: now,
        createdAt: now,
      });
      return { ok: true };
    },
    async tick() {
      const now = clock.now();
      let reported = 0;
      for (const row of due.all(now) as { idempotency_key: string; dispute_id: string; refund_id: string; outcome: string; failure: string | null }[]) {
        const event =
          row.outcome === 'settle'
            ? { type: 'refund.settled', refundId: row.refund_id }
            : { type: 'refund.failed', refundId: row.refund_id, reason: row.failure };
        if (await report(row.dispute_id, event, row.idempotency_key)) {
          markReported.run(now, row.idempotency_key);
          reported += 1;
        }
      }
      return reported;
    },
    book: (disputeId) => book.all(disputeId) as ReturnType<SimulatedProvider['book']>,
    nextReportAt: (after) => (nextDue.get(after) as { at: string | null }).at ?? undefined,
    close: () => db.close(),
  };
}
