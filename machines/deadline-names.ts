/**
 * The names of the dispute's deadlines, declared in `deadlines.ts`. Kept apart so that the
 * context's type can name them without importing the definitions, which read the context.
 */
export const deadlineNames = [
  'sellerResponse',
  'negotiationEnd',
  'evidenceRequest',
  'decisionDue',
  'appealWindow',
  'returnShipment',
  'returnDelivery',
  'returnConfirmation',
  'refundOverdue',
  'protectionEnd',
] as const;

export type DeadlineName = (typeof deadlineNames)[number];
