/**
 * R-EVID-1, R-EVID-2: what an evidence file is, read from its bytes by `file-type` (never from
 * its name or declared type), and accepted only when it is one of the policy's `evidenceFormats`.
 * Anything else is refused: HEIC photos and M4A audio (ISO media files like MP4), text, and
 * whatever `file-type` does not recognise.
 */
import { fileTypeFromBuffer } from 'file-type';
import { evidenceFormats } from '../../machines/index.ts';

type Kind = 'image' | 'video';

export interface Sniffed {
  mediaType: string;
  kind: Kind;
  extension: string;
}

/** `file-type`'s names where they differ from the policy's (an APNG is a PNG to any decoder). */
const aliases: Record<string, { mime: string; ext: string }> = {
  'video/vnd.avi': { mime: 'video/x-msvideo', ext: 'avi' },
  'image/apng': { mime: 'image/png', ext: 'png' },
};

const formatsOf = (kind: Kind) => evidenceFormats[kind].formats as readonly { mediaType: string; extensions: readonly string[] }[];
const accepted = new Map(
  (['image', 'video'] as const).flatMap((kind) => formatsOf(kind).map((f) => [f.mediaType, { kind, extensions: f.extensions }] as const)),
);

/** What the bytes are, if they are an accepted image or video; null otherwise. */
export async function sniffMediaType(bytes: Uint8Array): Promise<Sniffed | null> {
  let found: { mime: string; ext: string } | undefined;
  try {
    found = await fileTypeFromBuffer(bytes);
  } catch {
    return null; // bytes too malformed for the parser: not an accepted file either
  }
  if (!found) return null;
  const { mime, ext } = aliases[found.mime] ?? found;
  const format = accepted.get(mime);
  // The extension as well as the type: `file-type` calls a few other ISO media files video/mp4 (m4p, f4v).
  if (!format?.extensions.includes(ext)) return null;
  if (mime === 'image/bmp' && !isBitmap(bytes)) return null;
  return { mediaType: mime, kind: format.kind, extension: ext };
}

/** The file name extension for a stored media type. */
export function extensionOf(mediaType: string): string {
  return accepted.get(mediaType)?.extensions[0] ?? 'bin';
}

const bitmapHeaderSizes = new Set([12, 40, 52, 56, 64, 108, 124]);

/**
 * `file-type` takes any bytes starting with "BM" for a bitmap (a text about a BMW, say): a real
 * one also has a known DIB header size, one colour plane, a known bit depth and its pixels
 * inside the file.
 */
function isBitmap(bytes: Uint8Array): boolean {
  if (bytes.length < 26) return false;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerSize = view.getUint32(14, true);
  if (!bitmapHeaderSizes.has(headerSize) || bytes.length < 14 + headerSize) return false;
  const [planes, bitsPerPixel] =
    headerSize === 12 ? [view.getUint16(22, true), view.getUint16(24, true)] : [view.getUint16(26, true), view.getUint16(28, true)];
  const pixelsAt = view.getUint32(10, true);
  return planes === 1 && [1, 2, 4, 8, 16, 24, 32].includes(bitsPerPixel) && pixelsAt >= 14 + headerSize && pixelsAt <= bytes.length;
}

const list = (kind: Kind) =>
  formatsOf(kind)
    .map((f) => f.extensions.join('/'))
    .join(', ');

export const acceptedEvidence = `images (${list('image')}) and videos (${list('video')}), recognised by their content`;
