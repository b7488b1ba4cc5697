/**
 * Evidence files (R-EVID-*): the type is read from the bytes, never from the name or the
 * declared content type; the bytes are stored content-addressed (by sha256) under a key the
 * service makes, so a client's file name never reaches the file system.
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

export interface Sniffed {
  mediaType: string;
  kind: 'image' | 'video';
  extension: string;
}

const startsWith = (bytes: Uint8Array, signature: number[], offset = 0) => signature.every((b, i) => bytes[offset + i] === b);
const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));

/** R-EVID-1, R-EVID-2: what the bytes are, if they are an accepted image or video. */
export function sniffMediaType(bytes: Uint8Array): Sniffed | null {
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return { mediaType: 'image/jpeg', kind: 'image', extension: 'jpg' };
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return { mediaType: 'image/png', kind: 'image', extension: 'png' };
  if (startsWith(bytes, ascii('GIF87a')) || startsWith(bytes, ascii('GIF89a'))) return { mediaType: 'image/gif', kind: 'image', extension: 'gif' };
  if (startsWith(bytes, ascii('BM')) && bytes.length >= 26) return { mediaType: 'image/bmp', kind: 'image', extension: 'bmp' };
  if (startsWith(bytes, ascii('ftyp'), 4)) {
    return startsWith(bytes, ascii('qt  '), 8)
      ? { mediaType: 'video/quicktime', kind: 'video', extension: 'mov' }
      : { mediaType: 'video/mp4', kind: 'video', extension: 'mp4' };
  }
  if (startsWith(bytes, [0x1a, 0x45, 0xdf, 0xa3])) return { mediaType: 'video/webm', kind: 'video', extension: 'webm' };
  if (startsWith(bytes, ascii('RIFF')) && startsWith(bytes, ascii('AVI '), 8)) return { mediaType: 'video/x-msvideo', kind: 'video', extension: 'avi' };
  return null;
}

export const acceptedEvidence = 'images (jpg/jpeg, png, gif, bmp) and videos (mp4, mov, webm, avi), recognised by their content';

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
