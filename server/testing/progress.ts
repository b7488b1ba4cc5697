/** A progress bar on a terminal; a line per tenth of the run elsewhere (CI logs). */
import type { PathResult } from './drive.ts';

export function progressBar(stream: NodeJS.WriteStream, total: number) {
  const counts = { passed: 0, failed: 0, skipped: 0 };
  let lastTenth = -1;
  return {
    update(done: number, result: PathResult) {
      counts[result.status] += 1;
      const tail = `${done}/${total} paths · ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`;
      if (stream.isTTY) {
        const width = 30;
        const filled = Math.round((done / total) * width);
        stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${tail}`);
      } else if (Math.floor((done / total) * 10) > lastTenth) {
        lastTenth = Math.floor((done / total) * 10);
        stream.write(`${tail}\n`);
      }
    },
    done() {
      if (stream.isTTY) stream.write('\n');
    },
  };
}
