/**
 * Invisible characters that change how a name reads: the bidi controls (a right-to-left
 * override shows "\u202Etxt.exe" as "exe.txt"), zero-width spaces, the word joiner and
 * other invisible operators, the BOM, the soft hyphen, interlinear annotations. The
 * joiners U+200C/U+200D stay: emoji sequences and some scripts need them.
 */
const INVISIBLE = /[\u00ad\u061c\u180e\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ufff9-\ufffb]/g;

/** A file name fit to show and to offer on download: no path, no control or invisible characters, not too long. */
export function cleanFileName(raw: string): string {
  const base = raw.toWellFormed().split(/[\\/]/).pop() ?? '';
  // cut by characters, not UTF-16 units, so an emoji at the cut is not halved
  const clean = Array.from(base.replace(/[\u0000-\u001f\u007f"]/g, '').replace(INVISIBLE, '').trim()).slice(0, 200).join('');
  return clean === '' || clean === '.' || clean === '..' ? 'file' : clean;
}
