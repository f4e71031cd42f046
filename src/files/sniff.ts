import { loadFileType } from '../lazyModules';

/** What a file is, decided from its first bytes (never from its name or declared type). */
export interface Sniffed {
  mime: string;
  kind: 'image' | 'video' | 'file';
}

/** The first bytes sniff wants: file-type finds nearly every type within them (its own "reasonable" size). */
export const SNIFF_BYTES = 4100;

/** Photos a browser shows by itself. */
const SHOWN_PHOTOS = ['image/jpeg', 'image/png', 'image/apng', 'image/gif', 'image/webp', 'image/avif'];
/** Photos most browsers cannot show: seen through their thumbnail, when sharp can read them. */
const HEIF_PHOTOS = ['image/heic', 'image/heif', 'image/heic-sequence', 'image/heif-sequence'];
/** What a <video> element plays: an MP4's relatives (an .m4a voice memo too, as before), WebM, QuickTime. */
const VIDEOS = ['video/mp4', 'video/x-m4v', 'video/3gpp', 'video/3gpp2', 'audio/mp4', 'audio/x-m4a', 'video/quicktime', 'video/webm'];

const KINDS = new Map<string, Sniffed['kind']>([...[...SHOWN_PHOTOS, ...HEIF_PHOTOS].map((m) => [m, 'image'] as const), ...VIDEOS.map((m) => [m, 'video'] as const)]);

export async function sniff(head: Uint8Array): Promise<Sniffed> {
  // a client's bytes that trip the parser are just a file of no known type, never an error
  const { fileTypeFromBuffer } = await loadFileType();
  const found = await fileTypeFromBuffer(head).catch(() => undefined);
  if (!found) return { mime: 'application/octet-stream', kind: 'file' };
  return { mime: found.mime, kind: KINDS.get(found.mime) ?? 'file' };
}

/** Types a browser may show inline from our origin: no SVG, no HTML, nothing scriptable. */
const INLINE = new Set([...SHOWN_PHOTOS, ...VIDEOS]);
export const servedInline = (mime: string) => INLINE.has(mime);
