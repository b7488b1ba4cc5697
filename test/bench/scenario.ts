/**
 * What a scenario gets for one round, and the fresh service it measures: a new temporary folder
 * and database per scenario, the service stopped and the folder removed whatever happens. What
 * the service wrote on stderr (500s it logged, scheduler failures) is counted against the figure.
 */
import type { Figures } from './figures.ts';
import type { Options } from './options.ts';
import { freshFolder, startService, type RunningService } from './service.ts';
import type { StoredTemplate } from './template.ts';

export interface RoundContext {
  options: Options;
  figures: Figures;
  round: number;
  /** The N stored disputes, built once per run (present when `stored` or `storm` runs). */
  template: StoredTemplate | undefined;
  log(line: string): void;
}

export type Scenario = (context: RoundContext) => Promise<void>;

export interface ServiceRun {
  service: RunningService;
  dbPath: string;
  dir: string;
}

/**
 * Runs `body` against a service started on a fresh database. `prepare` may fill the database
 * first (it gets the path; the service is not running yet). `key` names the figure that carries
 * the service's logged errors.
 */
export async function withService<T>(
  context: RoundContext,
  label: string,
  key: string,
  body: (run: ServiceRun) => Promise<T>,
  prepare?: (dbPath: string) => Promise<void>,
): Promise<T> {
  const folder = freshFolder(label);
  let service: RunningService | undefined;
  try {
    await prepare?.(folder.dbPath);
    service = await startService(folder.dbPath);
    const result = await body({ service, dbPath: folder.dbPath, dir: folder.dir });
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
    folder.remove();
  }
}
