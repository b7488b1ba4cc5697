/** The chart's guards and actions, by name: what every region's state config is built on. */
export { disputeSetup } from './money-actions.ts';
