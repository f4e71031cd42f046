// File names that try to look like something else: a right-to-left override (U+202E) and the
// other invisible bidi and format characters are gone wherever the name is shown or offered.
import { describe, expect, it } from 'vitest';
import { backends } from '../support/backends';
import { httpSuite } from '../support/httpSuite';
import { messageItem, newClientId, newCouple } from '../support/chatHttp';
import { Client } from '../support/client';
import { fetchFile, filePart, fileRows, upload } from '../support/uploads';

const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
/** Shown as "invoiceexe.png" while it is an .exe: the override turns "gnp.exe" round. */
const SPOOF = 'invoice\u202Egnp.exe';

describe.each(backends())('file names on $name', (backend) => {
  const { app } = httpSuite(backend);

  async function sentFile(name: string) {
    const c = await newCouple(app.url, app.db, 'name');
    const res = await upload(c.a, [{ name: 'client_id', value: newClientId() }, filePart(name, Buffer.from('MZ not really a program'))]);
    expect(res.status).toBe(303);
    const [file] = await fileRows(app.db, c.coupleId);
    return { ...c, file };
  }

  /** The name as the chat, the download and the export show it to the partner. */
  async function shownName(c: Awaited<ReturnType<typeof sentFile>>) {
    const item = messageItem((await c.b.get('/chat')).text, Number(c.file.message_id));
    const cd = (await fetchFile(c.b, `/files/${c.file.id}?download=1`)).headers.get('content-disposition') ?? '';
    const exported = (await c.b.get('/chat/export')).text;
    return {
      page: Client.visible(item),
      ascii: /filename="([^"]*)"/.exec(cd)?.[1],
      utf8: decodeURIComponent(/filename\*=UTF-8''([^;\s]*)/.exec(cd)?.[1] ?? ''),
      exported,
    };
  }

  it('a right-to-left override is taken out, so the real extension shows: in the chat, the download and the export', async () => {
    const shown = await shownName(await sentFile(SPOOF));
    expect(shown.page).toContain('invoicegnp.exe');
    expect(shown.page).not.toMatch(BIDI);
    expect(shown.ascii).toBe('invoicegnp.exe');
    expect(shown.utf8).toBe('invoicegnp.exe');
    expect(shown.exported).toContain('invoicegnp.exe');
    expect(shown.exported).not.toMatch(BIDI);
  });

  it('every bidi control and invisible format character goes; a Korean name and an emoji sequence stay whole', async () => {
    const controls = ['\u200E', '\u200F', '\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069', '\u061C', '\u200B', '\uFEFF', '\u2060'];
    const { file } = await sentFile(`우리${controls.join('')}사진 👩‍❤️‍👨.txt`);
    expect(file.name).toBe('우리사진 👩‍❤️‍👨.txt');
  });

  it('a name stored before the rule is shown clean all the same', async () => {
    const c = await sentFile('plain.txt');
    await app.db('files').where({ id: c.file.id }).update({ name: SPOOF });
    const shown = await shownName(c);
    expect([shown.ascii, shown.utf8]).toEqual(['invoicegnp.exe', 'invoicegnp.exe']);
    expect(shown.page).toContain('invoicegnp.exe');
    expect(shown.exported).toContain('invoicegnp.exe');
  });
});
