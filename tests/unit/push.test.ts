import { createECDH, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { LookupFunction } from 'node:net';
import { isPublicAddress, publicOnlyLookup } from '../../src/push/address';
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

  it('refuses, in production, names that lead inside however they are written, and any port but 443', () => {
    const inside = [
      'https://localhost.:8443/',
      'https://localhost./p',
      'https://LOCALHOST../p',
      'https://127.0.0.1.nip.io/',
      'https://app.10.0.0.1.nip.io/p',
      'https://10-0-0-1.sslip.io/p',
      'https://metadata.google.internal/computeMetadata/v1/',
      'https://metadata.google.internal./computeMetadata/v1/',
      'https://router.home.arpa/p',
      'https://nas.local/p',
      'https://[::ffff:127.0.0.1]/p',
      'https://[fd00::1]/p',
      'https://2130706433/p',
      'https://0x7f.1/p',
      'https://push.example.com:8443/p',
      'https://push.example.com:80/p',
    ];
    for (const endpoint of inside) expect(parseEndpoint(endpoint, true), endpoint).toBeNull();
    for (const endpoint of ['https://push.example.com:443/p', 'https://wns2-par02p.notify.windows.com/w/?token=x', 'https://web.push.apple.com/abc']) {
      expect(parseEndpoint(endpoint, true), endpoint).toBe(endpoint);
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

describe('the addresses a push may go to', () => {
  it('are public unicast only', () => {
    for (const address of ['8.8.8.8', '142.250.196.110', '2001:4860:4860::8888', '::ffff:8.8.8.8']) expect(isPublicAddress(address), address).toBe(true);
    const inside = [
      '127.0.0.1', '127.1.2.3', '10.0.0.1', '172.16.5.4', '192.168.0.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '224.0.0.1', '255.255.255.255',
      '::1', '::', 'fe80::1', 'fc00::1', 'fd12:3456::1', 'ff02::1', '::ffff:127.0.0.1', '::ffff:169.254.169.254', '::ffff:10.0.0.1', '64:ff9b::7f00:1',
      '2002:7f00:1::1', '192.0.2.1', 'not an address', '',
    ];
    for (const address of inside) expect(isPublicAddress(address), address).toBe(false);
  });

  /** A resolver answering every name with these addresses. */
  const answering = (addresses: string[]): LookupFunction => (_host, options, callback) => {
    const all = addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
    if (options.all) callback(null, all);
    else callback(null, all[0].address, all[0].family);
  };
  const lookUp = (resolve: LookupFunction, all: boolean) =>
    new Promise<{ err: NodeJS.ErrnoException | null; found: unknown }>((done) => publicOnlyLookup(resolve)('push.example.com', { all }, (err, found) => done({ err, found })));

  it('are looked up and given to the connection only when every answer is public', async () => {
    const ok = await lookUp(answering(['8.8.8.8', '2001:4860:4860::8888']), true);
    expect(ok.err).toBeNull();
    expect(ok.found).toEqual([{ address: '8.8.8.8', family: 4 }, { address: '2001:4860:4860::8888', family: 6 }]);
    expect((await lookUp(answering(['8.8.8.8']), false)).found).toBe('8.8.8.8');
    for (const answers of [['127.0.0.1'], ['8.8.8.8', '10.0.0.1'], ['::ffff:169.254.169.254'], []]) {
      for (const all of [true, false]) {
        const refused = await lookUp(answering(answers), all);
        expect(refused.err?.code, answers.join()).toBe('EINTERNALADDRESS');
      }
    }
  });
});
