// Taking the location out of a JPEG on its way to storage (src/files/location.ts): the GPS
// directory and XMP go, the orientation, date, camera and every pixel stay, at any chunking.
import { Readable } from 'node:stream';
import { buffer as readAll } from 'node:stream/consumers';
import exif from 'exif-reader';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { stripGpsFromTiff, withoutLocation } from '../../src/files/location';
import { locatedJpeg, png } from '../support/uploads';

/** The bytes through withoutLocation, fed in chunks of `size`. */
async function scrubbed(bytes: Buffer, size: number): Promise<Buffer> {
  const chunks = Array.from({ length: Math.ceil(bytes.length / size) }, (_, i) => bytes.subarray(i * size, (i + 1) * size));
  return readAll(Readable.from(chunks).pipe(withoutLocation()));
}

const exifOf = async (jpeg: Buffer) => exif((await sharp(jpeg).metadata()).exif!);

/** A TIFF made by hand: IFD0 with an orientation and a GPS pointer, a GPS directory with a latitude (3 rationals, stored out of line). */
function handMadeTiff(bigEndian: boolean): Buffer {
  const b = Buffer.alloc(120);
  const u16 = (v: number, at: number) => (bigEndian ? b.writeUInt16BE(v, at) : b.writeUInt16LE(v, at));
  const u32 = (v: number, at: number) => (bigEndian ? b.writeUInt32BE(v, at) : b.writeUInt32LE(v, at));
  const entry = (at: number, tag: number, type: number, count: number, value: number) => {
    u16(tag, at);
    u16(type, at + 2);
    u32(count, at + 4);
    if (type === 3) u16(value, at + 8);
    else u32(value, at + 8);
  };
  b.write(bigEndian ? 'MM' : 'II', 0, 'latin1');
  u16(42, 2);
  u32(8, 4); // IFD0 at 8: two entries, then the next directory's offset (none)
  u16(2, 8);
  entry(10, 0x0112, 3, 1, 6); // Orientation = 6
  entry(22, 0x8825, 4, 1, 38); // the GPS directory is at 38
  u32(0, 34);
  u16(1, 38); // the GPS directory: GPSLatitude, 3 rationals at 56
  entry(40, 0x0002, 5, 3, 56);
  u32(0, 52);
  [37, 1, 33, 1, 1234, 100].forEach((v, i) => u32(v, 56 + 4 * i));
  return b;
}

describe('withoutLocation', () => {
  it.each([1, 7, 4096, 1 << 20])('takes the GPS directory and XMP out of a phone’s JPEG fed %i bytes at a time; the rest stays', async (size) => {
    const original = await locatedJpeg();
    const clean = await scrubbed(original, size);
    expect(clean.length).toBe(original.length);
    const tags = await exifOf(clean);
    expect(tags.GPSInfo).toBeUndefined();
    expect(tags.Image?.GPSTag).toBeUndefined();
    expect(tags.Image).toMatchObject({ Make: 'TestCam', Orientation: 6 });
    expect(tags.Photo?.DateTimeOriginal).toEqual(new Date('2026-01-02T03:04:05Z'));
    expect(clean.toString('latin1')).not.toMatch(/GPSL|37,33/);
    const meta = await sharp(clean).metadata();
    expect([meta.orientation, meta.autoOrient?.width, meta.autoOrient?.height]).toEqual([6, 40, 80]);
    // not a pixel re-encoded: the same decoded image, and the same bytes from the image data on
    expect((await sharp(clean).raw().toBuffer()).equals(await sharp(original).raw().toBuffer())).toBe(true);
    const sos = original.indexOf(Buffer.from([0xff, 0xda]));
    expect(clean.subarray(sos).equals(original.subarray(sos))).toBe(true);
  });

  it('passes anything that is not a JPEG byte for byte', async () => {
    for (const bytes of [await png(), Buffer.from('MZ\x90\x00 a program'), Buffer.from([0xff]), Buffer.alloc(0)]) {
      expect((await scrubbed(bytes, 3)).equals(bytes)).toBe(true);
    }
  });

  it('passes a JPEG cut short in its segments as it is, without failing', async () => {
    const cut = (await locatedJpeg()).subarray(0, 100);
    expect((await scrubbed(cut, 10)).length).toBe(100);
  });
});

describe('stripGpsFromTiff', () => {
  it.each([false, true])('removes the GPS pointer and zeroes its directory and values (big-endian: %s), keeping the orientation', (bigEndian) => {
    const tiff = handMadeTiff(bigEndian);
    stripGpsFromTiff(tiff);
    const tags = exif(Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]));
    expect(tags.Image).toEqual({ Orientation: 6 });
    expect(tags.GPSInfo).toBeUndefined();
    expect(tiff.subarray(38).every((byte) => byte === 0)).toBe(true);
  });

  it('zeroes an Exif it cannot follow (a GPS pointer past its end) rather than keep a location', () => {
    const tiff = handMadeTiff(false);
    tiff.writeUInt32LE(9999, 30);
    stripGpsFromTiff(tiff);
    expect(tiff.every((byte) => byte === 0)).toBe(true);
  });
});
