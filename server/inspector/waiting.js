// Who or what a dispute waits for, in words; where the view knows it, what exactly: the payment
// provider's settlement of a refund in progress (and when its settlement window ends), or the
// clock's next deadline. Nothing is guessed: without these, the parties' names alone.
import { awaitingWords, money, when } from './format.js';

/** "the payment provider’s settlement of the $25.00 refund (settlement window ends …)", or the parties. */
export function waitingWords(dispute, cat) {
  if (dispute.ended) return 'nobody: the dispute is closed';
  const onlyTheSystem = dispute.awaiting.length === 1 && dispute.awaiting[0] === 'system';
  if (!onlyTheSystem) return awaitingWords(dispute.awaiting);
  const currency = dispute.amounts.currency;
  const window = dispute.deadlines.find((d) => d.name === 'refundOverdue');
  if (dispute.refund?.inProgress > 0) {
    const by = window ? ` (${cat.deadline(window.name).label.toLowerCase()} ends ${when(window.dueAt)})` : '';
    return `the payment provider’s settlement of the ${money(dispute.refund.inProgress, currency)} refund${by}`;
  }
  const next = dispute.deadlines[0];
  if (next) return `the clock: ${cat.deadline(next.name).label} ends ${when(next.dueAt)}`;
  return awaitingWords(dispute.awaiting);
}
