// Every word the inspector shows about an event, a deadline or a state comes from the machine's
// own description (GET /machines/dispute): labels and one-line explanations live in the
// catalogue beside the chart, never in lists kept here.
import { api } from './api.js';

let loaded;

/** The machine description, fetched once per page. */
export function loadCatalogue() {
  loaded ??= api('GET', '/machines/dispute').then((machine) => {
    const states = new Map(machine.states.map((s) => [s.path, s]));
    const events = new Map(machine.events.map((e) => [e.type, e]));
    const deadlines = new Map(machine.deadlines.map((d) => [d.name, d]));
    return {
      machine,
      /** An event's label, history phrase and explanation; the id itself when unknown. */
      event: (type) => events.get(type) ?? { type, label: type, done: type, description: '', rule: null },
      deadline: (name) => deadlines.get(name) ?? { name, label: name, effect: '', rule: '' },
      state: (path) => states.get(path) ?? { path, label: path, description: null },
      /** A dotted state label ("a.b + c.d") in words, region by region. */
      stateWords: (label) =>
        (label ?? '')
          .split(' + ')
          .filter(Boolean)
          .map((path) => states.get(path)?.label ?? path)
          .join('; '),
    };
  });
  return loaded;
}
