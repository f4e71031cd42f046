// A photo's location does not reach storage: the original a partner downloads has no GPS
// (Exif or XMP), yet the same pixels, orientation, date and camera; the page says so.
import exif from 'exif-reader';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newClientId, newCouple } from '../support/chatHttp';
import { Client } from '../support/client';
import { combos, fetchFile, filePart, fileRows, locatedJpeg, startUploadApp, upload, type UploadApp } from '../support/uploads';

describe.each(combos())('photo locations on $name', (combo) => {
  let app: UploadApp;
  beforeAll(async () => {
    app = await startUploadApp(combo);
  });
  afterAll(() => app.close());

  it('the original as downloaded has no location, and is otherwise the photo that was sent: pixels, orientation, date, camera', async () => {
    const c = await newCouple(app.url, app.db, 'gps');
    const sent = await locatedJpeg(80, 40);
    expect(exif((await sharp(sent).metadata()).exif!).GPSInfo).toBeDefined(); // the test photo does say where
    expect((await upload(c.a, [{ name: 'client_id', value: newClientId() }, filePart('여행.jpg', sent, 'image/jpeg')])).status).toBe(303);
    const [file] = await fileRows(app.db, c.coupleId);
    expect([Number(file.width), Number(file.height)]).toEqual([40, 80]);

    const got = (await fetchFile(c.b, `/files/${file.id}?download=1`)).body;
    const meta = await sharp(got).metadata();
    const tags = exif(meta.exif!);
    expect(tags.GPSInfo).toBeUndefined();
    expect(tags.Image?.GPSTag).toBeUndefined();
    expect(got.toString('latin1')).not.toMatch(/GPSLatitude|37,33/); // nor in the XMP
    expect(tags.Image).toMatchObject({ Make: 'TestCam', Orientation: 6 });
    expect(tags.Photo?.DateTimeOriginal).toEqual(new Date('2026-01-02T03:04:05Z'));
    expect(meta.autoOrient).toEqual({ width: 40, height: 80 });
    expect(got.length).toBe(sent.length);
    expect((await sharp(got).raw().toBuffer()).equals(await sharp(sent).raw().toBuffer())).toBe(true); // not re-encoded

    const thumb = await sharp((await fetchFile(c.b, `/files/${file.id}/thumb`)).body).metadata();
    expect([thumb.width, thumb.height, thumb.exif]).toEqual([40, 80, undefined]);
  });

  it('the upload form says that a photo’s location is removed, in Korean and in English', async () => {
    const c = await newCouple(app.url, app.db, 'hint');
    const hint = (html: string) => Client.visible(/<p class="hint" id="upload-hint">[\s\S]*?<\/p>/.exec(html)?.[0] ?? '').trim();
    const page = (await c.a.get('/chat')).text;
    expect(page).toContain('aria-describedby="upload-hint"');
    expect(hint(page)).toBe('JPEG 사진의 위치 정보(GPS)는 지우고 보관해요.');
    await c.a.post('/account/settings', { language: 'en', week_start: '0', time_zone: '' });
    expect(hint((await c.a.get('/chat')).text)).toBe('The location (GPS) is removed from JPEG photos before they are kept.');
  });
});
