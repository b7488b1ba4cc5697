/**
 * The inspector's wording of a service message (server/inspector/format.js, pure, run here in
 * Node): instants as the local dates shown everywhere else, labelled choices in words, and a
 * sentence's full stop.
 */
import { describe, expect, it } from 'vitest';
import { describeMachine } from '../machines/index.ts';

// The inspector's modules are plain browser JavaScript; format.js touches no DOM at load.
const formatPath = '../server/inspector/format.js';
const { enumLabels, sentence, when } = (await import(formatPath)) as {
  enumLabels: (...schemas: unknown[]) => Map<string, string>;
  sentence: (message: string, labels?: Map<string, string>) => string;
  when: (iso: string) => string;
};

describe('a service message as a sentence', () => {
  const machine = describeMachine();
  const labels = enumLabels(machine.openRequest, ...machine.events.map((e) => e.schema));

  it('learns the labelled choices of the machine’s schemas', () => {
    expect(labels.get('not_received')).toBe('The item never arrived');
    expect(labels.get('refund_only')).toBe('A refund; I keep the item');
  });

  it('shows instants as local dates, choice ids in words, and ends with a full stop', () => {
    const iso = '2027-04-12T14:23:32.229Z';
    const words = sentence(`not_received disputes open 11 days after shipping: earliest ${iso}`, labels);
    expect(words).toBe(`“The item never arrived” disputes open 11 days after shipping: earliest ${when(iso)}.`);
    expect(words).not.toMatch(/\d{4}-\d{2}-\d{2}T/);
    expect(sentence('the dispute changed since you loaded it (version 3, now 2027-02-01T14:23:18.607Z)')).toBe(
      `The dispute changed since you loaded it (version 3, now ${when('2027-02-01T14:23:18.607Z')}).`,
    );
    expect(sentence('Already a sentence.')).toBe('Already a sentence.');
    expect(sentence('an unknown_choice stays as it is', labels)).toBe('An unknown_choice stays as it is.');
    expect(sentence('notes.txt is not an accepted type: send images')).toBe('notes.txt is not an accepted type: send images.');
    expect(sentence('ev_1 is hidden already')).toBe('ev_1 is hidden already.');
  });
});
