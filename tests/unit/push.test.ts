import { createECDH, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseEndpoint, parsePreviews, parseSubscription } from '../../src/push/parse';
import { payloadFor, shorten } from '../../src/push/payload';

const keys = () => {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  return { p256dh: ecdh.getPublicKey('base64url'), auth: randomBytes(16).toString('base64url') };
};

describe('push subscription input', () => {
  it('takes https push services anywhere, and plain http to the loopback host outside production only', () => {
    expect(parseEndpoint('https://fcm.googleapis.com/fcm/send/x:y', true)).not.toBeNull();
    expect(parseEndpoint('https://updates.push.services.mozilla.com/wpush/v2/abc', true)).not.toBeNull();
    for (const local of ['http://127.0.0.1:9000/p', 'http://localhost:9000/p', 'http://[::1]:9000/p']) {
      expect(parseEndpoint(local, false)).toBe(local);
      expect(parseEndpoint(local, true)).toBeNull();
    }
    expect(parseEndpoint('http://10.0.0.5/p', false)).toBeNull();
  });

  it('refuses, in production, https endpoints on the server’s own network', () => {
    for (const inside of ['https://127.0.0.1/p', 'https://10.0.0.5/p', 'https://[::1]/p', 'https://localhost/p', 'https://redis/p', 'https://x.localhost/p', 'https://169.254.169.254/latest']) {
      expect(parseEndpoint(inside, true)).toBeNull();
    }
  });

  it('normalises keys to unpadded base64url and checks the point is on P-256', () => {
    const k = keys();
    const parsed = parseSubscription({ endpoint: 'https://push.example.com/a', p256dh: k.p256dh + '=', auth: k.auth + '==' }, true);
    expect(parsed.ok).toEqual({ endpoint: 'https://push.example.com/a', ...k });
    const offCurve = Buffer.concat([Buffer.from([4]), Buffer.alloc(64, 9)]).toString('base64url');
    expect(parseSubscription({ endpoint: 'https://push.example.com/a', p256dh: offCurve, auth: k.auth }, true).error).toBe('push.error.keys');
  });

  it('reads the previews switch as a checkbox sends it', () => {
    expect(parsePreviews('on').ok).toBe(true);
    expect(parsePreviews('').ok).toBe(false);
    expect(parsePreviews('off').ok).toBe(false);
    expect(parsePreviews('yes').error).toBe('push.error.previews');
  });
});

describe('push payloads', () => {
  it('shortens by whole characters, emoji included, on one line', () => {
    expect(shorten('  안녕\n\n반가워  ')).toBe('안녕 반가워');
    const long = '👩‍❤️‍👨'.repeat(200);
    const short = shorten(long);
    expect([...new Intl.Segmenter(undefined, { granularity: 'grapheme' }).segment(short)]).toHaveLength(120);
    expect(short.endsWith('👩‍❤️‍👨…')).toBe(true);
  });

  it('words each notice in the recipient’s language, without content when previews are off', () => {
    const ko = { lang: 'ko' as const, previews: true };
    const hidden = { lang: 'ko' as const, previews: false };
    const en = { lang: 'en' as const, previews: true };
    expect(payloadFor({ kind: 'message', text: '안녕' }, 'yoonseok', ko)).toEqual({ title: 'yoonseok', body: '안녕', url: '/chat', tag: 'chat' });
    expect(payloadFor({ kind: 'message', text: '안녕' }, 'yoonseok', hidden).body).toBe('새 메시지가 왔어요');
    expect(payloadFor({ kind: 'files', kinds: ['video'], caption: '' }, 'y', ko).body).toBe('동영상을 보냈어요');
    expect(payloadFor({ kind: 'files', kinds: ['image', 'file'], caption: '' }, 'y', en).body).toBe('Sent 2 files');
    expect(payloadFor({ kind: 'files', kinds: ['image'], caption: '바다' }, 'y', hidden).body).toBe('새 메시지가 왔어요');
    const question = { kind: 'question' as const, id: 7, textKo: '운동하는 거 좋아해?', textEn: 'Do you like working out?' };
    expect(payloadFor(question, 'y', en)).toEqual({ title: 'New question', body: 'Do you like working out?', url: '/chat', tag: 'question-7' });
    expect(payloadFor(question, 'y', hidden)).toMatchObject({ title: '새 질문', body: '답할 질문이 생겼어요' });
  });
});
