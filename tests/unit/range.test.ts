import { describe, expect, it } from 'vitest';
import { parseRange } from '../../src/files/range';
import { sniff } from '../../src/files/sniff';

describe('Range headers', () => {
  it.each([
    [undefined, 1000, { kind: 'whole' }],
    ['bytes=0-99', 1000, { kind: 'part', start: 0, end: 99 }],
    ['bytes=500-', 1000, { kind: 'part', start: 500, end: 999 }],
    ['bytes=-100', 1000, { kind: 'part', start: 900, end: 999 }],
    ['bytes=-5000', 1000, { kind: 'part', start: 0, end: 999 }],
    ['bytes=900-5000', 1000, { kind: 'part', start: 900, end: 999 }],
    ['bytes=1000-', 1000, { kind: 'unsatisfiable' }],
    ['bytes=-0', 1000, { kind: 'unsatisfiable' }],
    ['bytes=5-2', 1000, { kind: 'whole' }],
    ['bytes=0-1,5-6', 1000, { kind: 'whole' }],
    ['items=0-1', 1000, { kind: 'whole' }],
    ['bytes=-', 1000, { kind: 'whole' }],
    ['bytes=99999999999999999999-', 1000, { kind: 'whole' }],
  ])('%s of %d bytes', (header, size, expected) => {
    expect(parseRange(header as string | undefined, size as number)).toEqual(expected);
  });
});

describe('file types by their bytes', () => {
  it('knows images, videos and the rest, whatever the name says', async () => {
    expect(await sniff(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toEqual({ mime: 'image/jpeg', kind: 'image' });
    expect(await sniff(Buffer.from('GIF89a....'))).toEqual({ mime: 'image/gif', kind: 'image' });
    expect(await sniff(Buffer.from('\0\0\0\x18ftypisom'))).toEqual({ mime: 'video/mp4', kind: 'video' });
    expect(await sniff(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg">'))).toEqual({ mime: 'application/octet-stream', kind: 'file' });
    expect(await sniff(Buffer.from('<html><script>alert(1)</script>'))).toEqual({ mime: 'application/octet-stream', kind: 'file' });
  });
});

describe('a limiter', () => {
  it('runs at most n tasks at once, in the order they came', async () => {
    const { limiter } = await import('../../src/limiter');
    const inTurn = limiter(2);
    let now = 0;
    let most = 0;
    const order: number[] = [];
    const task = (i: number) =>
      inTurn(async () => {
        now++;
        most = Math.max(most, now);
        await new Promise((r) => setTimeout(r, 5));
        order.push(i);
        now--;
      });
    await Promise.all([0, 1, 2, 3, 4, 5].map(task));
    expect(most).toBe(2);
    expect(order.slice(2)).toEqual([2, 3, 4, 5]);
  });
});
