// The couple profile in two browsers: sena names taeho, sets 사귄 날 and her birthday and puts
// up a couple photo from /couple on a 320 px phone; her other open chat shows the name she
// gave him at once, taeho's open chat (360 px) shows the photo and the days counted from 사귄
// 날 at once, and his calendar shows her birthday. All without a reload.
import { expect, it } from 'vitest';
import sharp from 'sharp';
import { browserSuite, describeBrowser, expectPath, expectVisibleText, logIn, submit, touchPhone } from '../support/browser';
import { pairUp } from '../support/client';
import { locatedJpeg } from '../support/uploads';
import { addDays, seoulToday } from '../support/walkthroughPages';

describeBrowser('the couple profile, live for the partner', () => {
  const suite = browserSuite();

  it('a nickname, 사귄 날, a birthday and a photo reach the open pages, and the calendar shows the birthday', async () => {
    await pairUp(suite.app.url, 'sena', 'taeho');
    const sena = await suite.open(touchPhone({ width: 320, height: 568 }));
    const taeho = await suite.open(touchPhone({ width: 360, height: 740 }));
    await logIn(sena.page, 'sena', undefined, '/chat');
    await logIn(taeho.page, 'taeho', undefined, '/chat');
    const senaChat = await sena.context.newPage();
    await senaChat.goto('/chat');
    const title = (page: typeof senaChat) => page.locator('#chat-title').innerText();
    expect(await title(senaChat)).toBe('taeho 님과의 대화');

    // one tap from the chat header to the profile
    const profile = sena.page;
    await profile.locator('#couple-avatar').click();
    await expectPath(profile, '/couple');
    expect(await profile.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);

    const started = addDays(seoulToday(), -99); // today is the 100th day
    const birthday = `1998${seoulToday().slice(4)}`; // her birthday is today
    await profile.getByLabel('내가 부르는 상대 이름', { exact: true }).fill('곰돌이');
    await profile.getByLabel('사귄 날', { exact: true }).fill(started);
    await profile.getByLabel('내 생일', { exact: true }).fill(birthday);
    await profile.getByRole('button', { name: '저장하기' }).click();
    await expectVisibleText(profile, '프로필을 저장했어요.');
    await expectVisibleText(profile, '함께한 지 100일');

    // her other page: the name she gave him; his page: the days from 사귄 날, and his own name for her unchanged
    await expect.poll(() => title(senaChat)).toBe('곰돌이 님과의 대화');
    await expect.poll(() => taeho.page.locator('#couple-since').innerText()).toContain('100일째');
    expect(await title(taeho.page)).toBe('sena 님과의 대화');

    // the couple photo: up from her profile, at once in his chat header
    await profile.locator('#photo').setInputFiles({ name: 'us.jpg', mimeType: 'image/jpeg', buffer: await locatedJpeg(600, 300) });
    await submit(profile, profile.getByRole('button', { name: '사진 올리기' }));
    await expectVisibleText(profile, '커플 사진을 바꿨어요.');
    const avatar = taeho.page.locator('#couple-avatar img');
    await avatar.waitFor({ state: 'visible' });
    await expect.poll(() => avatar.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    const box = await taeho.page.locator('#couple-avatar').boundingBox();
    expect(Math.min(box!.width, box!.height)).toBeGreaterThanOrEqual(44);
    // what his browser got: the upright photo with nothing of the original's metadata
    const src = await avatar.getAttribute('src');
    const bytes = Buffer.from(await (await taeho.page.request.get(src!)).body());
    const meta = await sharp(bytes).metadata();
    expect([meta.format, meta.width! < meta.height!, meta.exif, meta.xmp]).toEqual(['webp', true, undefined, undefined]);

    // his calendar: her birthday today, and the days together from 사귄 날
    await taeho.page.goto('/calendar');
    await expectVisibleText(taeho.page, 'sena 생일');
    await expectVisibleText(taeho.page, '함께한 지 100일');
    expect(await taeho.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  });
});
