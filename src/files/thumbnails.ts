import { loadSharp } from '../lazyModules';
import { limiter } from '../limiter';

export const THUMB_SIDE = 480;
const MAX_PIXELS = 50_000_000; // a "pixel bomb" beyond this is kept as a plain file

// One thumbnail at a time (and one libvips thread, see loadSharp): photos wait a little,
// and one of the two cores stays free for the chat's event loop.
const inTurn = limiter(1);

export interface Thumbnail {
  webp: Buffer;
  /** the original's size as it is shown (EXIF orientation applied) */
  width: number;
  height: number;
}

/**
 * A WebP of at most 480 px a side, turned upright by its EXIF orientation, with every
 * metadata field (location!) left out. Null for anything sharp cannot read safely.
 */
export function makeThumbnail(original: Buffer): Promise<Thumbnail | null> {
  return inTurn(() => thumbnail(original));
}

async function thumbnail(original: Buffer): Promise<Thumbnail | null> {
  try {
    const sharp = loadSharp();
    const options = { limitInputPixels: MAX_PIXELS, failOn: 'error' as const };
    const meta = await sharp(original, options).metadata();
    const webp = await sharp(original, options)
      .rotate()
      .resize(THUMB_SIDE, THUMB_SIDE, { fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 72 })
      .toBuffer();
    const turned = (meta.orientation ?? 1) >= 5;
    return { webp, width: (turned ? meta.height : meta.width) ?? 0, height: (turned ? meta.width : meta.height) ?? 0 };
  } catch {
    return null;
  }
}
