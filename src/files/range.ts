/** What a Range header asks of a resource of `size` bytes. */
export type RangeRequest =
  | { kind: 'whole' }
  | { kind: 'part'; start: number; end: number } // inclusive
  | { kind: 'unsatisfiable' };

/**
 * Parses `Range: bytes=…` for one range (a, a-b, -n). Several ranges, another unit or a
 * malformed header are answered with the whole file, as RFC 9110 allows; a range that
 * starts past the end cannot be satisfied (416).
 */
export function parseRange(header: string | undefined, size: number): RangeRequest {
  if (!header) return { kind: 'whole' };
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '') || m[1].length > 15 || m[2].length > 15) return { kind: 'whole' };
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'part', start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (m[2] !== '' && Number(m[2]) < start) return { kind: 'whole' };
  if (start >= size) return { kind: 'unsatisfiable' };
  return { kind: 'part', start, end };
}
