import { Transform } from 'node:stream';

/*
 * A couple's photos say where they live: the stored original of a JPEG loses its location,
 * and nothing else, without re-encoding a pixel. Its Exif keeps the orientation, the date
 * and the camera but loses the GPS directory; its XMP packets, which may repeat the place,
 * are blanked. No length changes, so nothing that points into the file moves (MPF's
 * offsets to a phone's HDR gain map, Exif's own offsets). Other formats pass as they are.
 */

const EXIF = Buffer.from('Exif\0\0', 'latin1');
const XMP_IDS = ['http://ns.adobe.com/xap/1.0/\0', 'http://ns.adobe.com/xmp/extension/\0'].map((id) => Buffer.from(id, 'latin1'));
const EMPTY_XMP = '<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/"/>';
const XMP_END = '<?xpacket end="w"?>';
const GPS_POINTER = 0x8825;
/** bytes per value of each TIFF field type (1 BYTE … 12 DOUBLE) */
const TYPE_SIZES = [0, 1, 1, 2, 4, 8, 1, 1, 2, 4, 8, 4, 8];
const APP1 = 0xe1;
const SOS = 0xda;

class BadExif extends Error {}

/** A TIFF structure read with its own byte order, every offset checked. */
function tiffReader(tiff: Buffer) {
  const order = tiff.toString('latin1', 0, 2);
  if (order !== 'II' && order !== 'MM') throw new BadExif();
  const little = order === 'II';
  const check = (at: number, size: number) => {
    if (at < 0 || at + size > tiff.length) throw new BadExif();
  };
  return {
    check,
    u16: (at: number) => (check(at, 2), little ? tiff.readUInt16LE(at) : tiff.readUInt16BE(at)),
    u32: (at: number) => (check(at, 4), little ? tiff.readUInt32LE(at) : tiff.readUInt32BE(at)),
    setU16: (at: number, value: number) => (little ? tiff.writeUInt16LE(value, at) : tiff.writeUInt16BE(value, at)),
    zero: (at: number, size: number) => (check(at, size), tiff.fill(0, at, at + size)),
  };
}
type Tiff = ReturnType<typeof tiffReader>;

/** Zeroes the GPS directory at `at` and every value it points to. */
function blankGpsDirectory(t: Tiff, at: number): void {
  const count = t.u16(at);
  for (let i = 0; i < count; i++) {
    const entry = at + 2 + 12 * i;
    const size = (TYPE_SIZES[t.u16(entry + 2)] ?? 0) * t.u32(entry + 4);
    if (size > 4) t.zero(t.u32(entry + 8), size);
  }
  t.zero(at, 2 + 12 * count + 4);
}

/** Takes entry `i` out of the directory at `ifd`: the entries after it, and the next directory's offset, move up one place. */
function dropEntry(tiff: Buffer, t: Tiff, ifd: number, i: number): void {
  const count = t.u16(ifd);
  const end = ifd + 2 + 12 * count + 4;
  t.check(ifd, end - ifd);
  const entry = ifd + 2 + 12 * i;
  tiff.copy(tiff, entry, entry + 12, end);
  tiff.fill(0, end - 12, end);
  t.setU16(ifd, count - 1);
}

/** Takes the GPS directory out of the directory at `ifd`, if it points to one. */
function dropGps(tiff: Buffer, t: Tiff, ifd: number): void {
  for (let i = 0; i < t.u16(ifd); i++) {
    const entry = ifd + 2 + 12 * i;
    if (t.u16(entry) !== GPS_POINTER) continue;
    blankGpsDirectory(t, t.u32(entry + 8));
    dropEntry(tiff, t, ifd, i);
    return;
  }
}

/**
 * Removes the location from a TIFF structure (an Exif segment's body) in place: the GPS
 * directory and its values are zeroed and the pointer to it leaves IFD0 (and IFD1, the
 * Exif thumbnail's). Anything unreadable is zeroed whole: a photo without Exif is better
 * than one with a location.
 */
export function stripGpsFromTiff(tiff: Buffer): void {
  try {
    const t = tiffReader(tiff);
    const ifd0 = t.u32(4);
    dropGps(tiff, t, ifd0);
    const ifd1 = t.u32(ifd0 + 2 + 12 * t.u16(ifd0));
    if (ifd1 !== 0) dropGps(tiff, t, ifd1);
  } catch {
    tiff.fill(0);
  }
}

/** Blanks an XMP packet (the segment's body after its name): an empty packet padded with spaces. */
function blankXmp(body: Buffer): void {
  const empty = EMPTY_XMP + ' '.repeat(Math.max(0, body.length - EMPTY_XMP.length - XMP_END.length)) + XMP_END;
  body.fill(0x20);
  if (empty.length <= body.length) body.write(empty, 'latin1');
}

/** Removes the location from one APP1 segment (from its marker on), in place. */
export function stripLocationFromApp1(segment: Buffer): void {
  const body = segment.subarray(4);
  if (body.subarray(0, EXIF.length).equals(EXIF)) return stripGpsFromTiff(body.subarray(EXIF.length));
  const xmp = XMP_IDS.find((id) => body.subarray(0, id.length).equals(id));
  if (xmp) blankXmp(body.subarray(xmp.length));
}

/**
 * A stream that passes a file through, taking the location out of a JPEG's segments on
 * the way. It holds at most one segment (64 KB) at a time, and from the image data on
 * (or at once, for anything that is not a JPEG) it only passes bytes along.
 */
export function withoutLocation(): Transform {
  let pending: Buffer = Buffer.alloc(0);
  let passing = false;
  let started = false;
  const segments = (push: (b: Buffer) => void) => {
    while (!passing && pending.length >= 4) {
      const [mark, kind] = [pending[0], pending[1]];
      // not a length-prefixed segment (the image data, or something we do not know): the rest is passed as it is
      if (mark !== 0xff || kind === SOS || kind === 0xff || (kind >= 0xd0 && kind <= 0xd9) || kind === 0x01) return void (passing = true);
      const size = 2 + pending.readUInt16BE(2);
      if (pending.length < size) return;
      const segment = kind === APP1 ? Buffer.from(pending.subarray(0, size)) : pending.subarray(0, size); // a copy to change, not the reader's buffer
      if (kind === APP1) stripLocationFromApp1(segment);
      push(segment);
      pending = pending.subarray(size);
    }
  };
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      if (passing) return done(null, chunk);
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      if (!started) {
        if (pending.length < 3) return done();
        started = true;
        passing = !(pending[0] === 0xff && pending[1] === 0xd8 && pending[2] === 0xff);
        if (!passing) {
          this.push(pending.subarray(0, 2)); // the start-of-image marker, which has no length
          pending = pending.subarray(2);
        }
      }
      segments((b) => this.push(b));
      if (passing) {
        this.push(pending);
        pending = Buffer.alloc(0);
      }
      done();
    },
    flush(done) {
      done(null, pending.length ? pending : undefined);
    },
  });
}
