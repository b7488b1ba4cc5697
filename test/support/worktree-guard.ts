/**
 * Vitest global setup: tests write only into temporary folders. The work tree's files (ignored
 * ones too, such as data/) are listed before the run and after it; anything added or changed
 * fails the run, naming the paths. `ARBITER_WORKTREE_GUARD=off` turns it off (a work tree that
 * people edit while tests run); CI keeps it on.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Every file under the root outside node_modules and .git, with its size and modification time. */
function listing(): Map<string, string> {
  const out = execFileSync(
    'find',
    ['.', '-path', './node_modules', '-prune', '-o', '-path', './.git', '-prune', '-o', '-type', 'f', '-printf', '%p\t%s %T@\n'],
    {
      cwd: root,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  return new Map(
    out
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split('\t') as [string, string]),
  );
}

export default function worktreeGuard() {
  // Off only on request, for a shared work tree that people edit while tests run.
  if (process.env.ARBITER_WORKTREE_GUARD === 'off') return () => {};
  const before = listing();
  return function checkWorktree() {
    const after = listing();
    const touched = [...after].filter(([path, stamp]) => before.get(path) !== stamp).map(([path]) => path);
    if (touched.length > 0) {
      // Vitest logs a teardown error without failing the run: set the exit code as well.
      process.exitCode = 1;
      throw new Error(`tests wrote into the work tree (use a temporary folder): ${touched.slice(0, 20).join(', ')}`);
    }
  };
}
