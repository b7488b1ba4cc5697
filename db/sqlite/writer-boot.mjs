// Starts the writer thread: worker threads do not inherit the TypeScript loader the service
// runs under, so the thread registers tsx itself before loading its TypeScript entry.
import { register } from 'tsx/esm/api';

register();
await import('./writer-thread.ts');
