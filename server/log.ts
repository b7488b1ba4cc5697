/**
 * One structured logger for the whole service, injected where it is needed: JSON lines (or
 * readable text for a person at a terminal) on stderr, with fields bound by `child()`, such as
 * the request id on every line of a request.
 *
 * @example
 * const log = createLogger({ level: 'info', format: 'json' });
 * log.child({ requestId }).warn('a dispute could not be read', { disputeId });
 */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const ranks: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  child(bindings: Record<string, unknown>): Logger;
}

export interface LoggerOptions {
  level?: LogLevel;
  format?: 'json' | 'text';
  /** Where lines go (stderr by default; tests collect them). */
  write?: (line: string) => void;
}

export function createLogger(
  { level = 'info', format = 'json', write = (line) => process.stderr.write(`${line}\n`) }: LoggerOptions = {},
  bindings: Record<string, unknown> = {},
): Logger {
  const threshold = ranks[level];
  const emit = (lvl: LogLevel, message: string, fields?: Record<string, unknown>) => {
    if (ranks[lvl] < threshold) return;
    const entry = { time: new Date().toISOString(), level: lvl, msg: message, ...bindings, ...fields };
    if (format === 'json') {
      write(JSON.stringify(entry, (_key, value: unknown) => (value instanceof Error ? { message: value.message, stack: value.stack } : value)));
      return;
    }
    const extra = Object.entries({ ...bindings, ...fields })
      .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v instanceof Error ? v.message : v)}`)
      .join(' ');
    write(`arbiter ${lvl}: ${message}${extra ? ` (${extra})` : ''}`);
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (more) => createLogger({ level, format, write }, { ...bindings, ...more }),
  };
}

/** A logger that drops everything (tests and tools that do not care). */
export const silentLogger: Logger = createLogger({ write: () => {} });
