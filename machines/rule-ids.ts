/**
 * The rule ids of docs/POLICY.md, in its order (a test checks this list against the document),
 * and `EVENT`, the rule a refusal names when a malformed event breaks no rule of the policy. A
 * refusal's `rule` is one of these, by type; the OpenAPI document lists them as an enum.
 */
export const policyRuleIds = [
  ...['R-GEN-1', 'R-GEN-2', 'R-GEN-3', 'R-GEN-4', 'R-GEN-5', 'R-FUND-1', 'R-FUND-2', 'R-FUND-3'],
  ...['R-OPEN-1', 'R-OPEN-2', 'R-OPEN-3', 'R-OPEN-4', 'R-OPEN-5', 'R-OPEN-6', 'R-OPEN-7', 'R-OPEN-8', 'R-OPEN-9', 'R-OPEN-10'],
  ...['R-EVID-1', 'R-EVID-2', 'R-EVID-3'],
  ...['R-NEG-1', 'R-NEG-2', 'R-NEG-3', 'R-NEG-4', 'R-NEG-5', 'R-NEG-6', 'R-NEG-7', 'R-NEG-8'],
  ...['R-ESC-1', 'R-ESC-2', 'R-ESC-3', 'R-ESC-4', 'R-ESC-5', 'R-ESC-6', 'R-APL-1', 'R-APL-2', 'R-APL-3'],
  ...['R-RET-1', 'R-RET-2', 'R-RET-3', 'R-RET-4', 'R-RET-5', 'R-REF-1', 'R-REF-2', 'R-REF-3', 'R-REF-4', 'R-REF-5'],
] as const;
export type PolicyRuleId = (typeof policyRuleIds)[number];

export const refusalRuleIds = [...policyRuleIds, 'EVENT'] as const;
export type RefusalRuleId = (typeof refusalRuleIds)[number];
