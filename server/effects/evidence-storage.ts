/**
 * Evidence files (R-EVID-*): the bytes are stored content-addressed (by sha256) under a key the
 * service makes, so a client's file name never reaches the file system. Their type is read from
 * the bytes (`evidence-types.ts`), never from the name or the declared content type.
 */
import { createHash, randomUUID } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';

export interface EvidenceStorage {
  put(key: string, bytes: Uint8Array): Promise<void>;
  get(key: string): Promise<Buffer | undefined>;
  /** Removes bytes no evidence record points to (a refused upload); absent keys are fine. */
  remove(key: string): Promise<void>;
}

/** Files under a folder; writes are fsynced before they are acknowledged. */
export function localDiskStorage(root: string): EvidenceStorage {
  const pathOf = (key: string) => {
    if (!/^[a-f0-9]{2}\/[a-f0-9]{64}$/.test(key)) throw new Error(`not a storage key: ${key}`);
    return join(root, key);
  };
  return {
    async put(key, bytes) {
      const path = pathOf(key);
      await mkdir(dirname(path), { recursive: true });
      const temporary = `${path}.${randomUUID()}.part`;
      const file = await open(temporary, 'w', 0o600);
      try {
        await file.writeFile(bytes);
        await file.sync();
      } finally {
        await file.close();
      }
      await rename(temporary, path);
    },
    async remove(key) {
      await rm(pathOf(key), { force: true });
    },
    async get(key) {
      try {
        return await readFile(pathOf(key));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
    },
  };
}

export const storageKeyOf = (sha256: string) => `${sha256.slice(0, 2)}/${sha256}`;
export const sha256Of = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** A display name safe to echo back: no path, no control characters, bounded. */
export function displayName(name: string | undefined): string | null {
  if (!name) return null;
  const base = name.split(/[\\/]/).pop() ?? '';
  const clean = [...base]
    .filter((ch) => ch.charCodeAt(0) >= 0x20 && ch.charCodeAt(0) !== 0x7f && ch !== '"')
    .join('')
    .trim()
    .slice(0, 120);
  return clean === '' || clean === '.' || clean === '..' ? null : clean;
}
