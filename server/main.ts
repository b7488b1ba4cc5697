/**
 * The service process: configuration from the environment, the durable runtime and its
 * scheduler; SIGTERM / SIGINT stop it gracefully (in-flight steps finish, the database closes).
 */
import { ConfigError, loadConfig } from './config.ts';
import { startService } from './service.ts';

try {
  const config = loadConfig();
  const service = await startService(config);
  const shutdown = (signal: string) => {
    console.log(`arbiter: ${signal}, stopping`);
    service.stop().then(
      () => process.exit(0),
      (error) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
  // Printed once the handlers are in place: a supervisor may stop us as soon as it reads this.
  console.log(`arbiter: ready (database ${config.dbPath}, durability ${config.durability}, clock ${config.clock}, ${service.scheduler.firedTotal} deadlines caught up)`);
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(2);
  }
  throw error;
}
