/**
 * A background loop: run, sleep, run again; `wake()` runs it now (or once more right after the
 * current run); `stop()` waits for the run in progress. Shared by the deadline scheduler and
 * the outbox dispatcher.
 */
export interface Poller {
  start(): void;
  wake(): void;
  stop(): Promise<void>;
}

export function createPoller(run: () => Promise<unknown>, sleepMs: () => Promise<number> | number, onError: (error: unknown) => void): Poller {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  let stopped = true;
  let again = false;

  async function loop() {
    timer = undefined;
    if (stopped) return;
    do {
      again = false;
      running = run().catch(onError);
      await running;
      running = undefined;
    } while (again && !stopped);
    if (stopped) return;
    const ms = await Promise.resolve(sleepMs()).catch(() => 1000);
    if (!stopped && !running && timer === undefined) timer = setTimeout(loop, ms);
  }

  return {
    start() {
      if (!stopped) return;
      stopped = false;
      void loop();
    },
    wake() {
      if (stopped) return;
      if (running) {
        again = true;
        return;
      }
      if (timer) clearTimeout(timer);
      timer = undefined;
      void loop();
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      await running;
    },
  };
}
