/**
 * What a scenario gets for one round, and the fresh deployment it measures: a new place (a
 * temporary folder with a SQLite file, or a PostgreSQL schema of its own) per scenario, the
 * service stopped and the place removed whatever happens. What the service wrote on stderr (500s
 * it logged, scheduler failures) is counted against the figure.
 */
import { startDeployment, type Deployment } from './deployment.ts';
import type { FigureSink } from './figures.ts';
import type { Options } from './options.ts';
import { freshPlace, type Place } from './place.ts';
import type { Target } from './target.ts';
import type { StoredTemplate } from './template.ts';

export interface RoundContext {
  /** The options as this store sees them (its own N: see forStore). */
  options: Options;
  /** The figures, scoped to the deployment measured (its keys, limits and labels). */
  figures: FigureSink;
  target: Target;
  round: number;
  /** The store's N stored disputes, built once per run (present when `stored` or `storm` runs). */
  template: StoredTemplate | undefined;
  log(line: string): void;
}

export type Scenario = (context: RoundContext) => Promise<void>;

export interface ServiceRun {
  service: Deployment;
  place: Place;
}

/**
 * Runs `body` against the target's deployment started on a fresh place. `prepare` may fill the
 * place first (the service is not running yet). `key` names the figure that carries the
 * service's logged errors.
 */
export async function withService<T>(
  context: RoundContext,
  label: string,
  key: string,
  body: (run: ServiceRun) => Promise<T>,
  prepare?: (place: Place) => Promise<void>,
): Promise<T> {
  const place = await freshPlace(context.target.store, label, context.options.pgUrl);
  let service: Deployment | undefined;
  try {
    await prepare?.(place);
    service = await startDeployment(place, context.target.instances);
    const result = await body({ service, place });
    const logged = service.errorLines();
    if (logged.length > 0) {
      context.figures.note(key, `the service logged ${logged.length} error line(s), first: ${logged[0]!.slice(0, 200)}`);
    }
    if (service.exit()) context.figures.fail(key, `the service ${service.exit()} during the scenario`);
    return result;
  } catch (error) {
    // Say what the service said: a crash under load is what the reader needs to see.
    const said = service ? `\nservice: ${service.exit() ?? 'still running'}; its stderr ends with:\n${service.errorLines().slice(-15).join('\n')}` : '';
    if (error instanceof Error) error.message += said;
    throw error;
  } finally {
    await service?.stop();
    await place.remove();
  }
}
