// The walk-through's ID 2 deletes its account while ID 1's /pair page still lists its
// request. Clicking 수락 on it must leave a whole page that says the request is gone.
import type { Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { browserSuite, describeBrowser, expectPath, expectVisibleText, pathOf, receivedRequests, sendPairRequest, signUp, submit } from '../support/browser';
import { PASSWORD } from '../support/client';

describeBrowser('a couple request that disappears while it is on screen', () => {
  const suite = browserSuite();
  let sora: Page;
  let taemin: Page;

  beforeAll(async () => {
    [sora, taemin] = await suite.people(2);
  });

  it('accepting a request whose sender left says so, and the page stays whole', async () => {
    await signUp(sora, 'sora');
    await signUp(taemin, 'taemin');
    await sendPairRequest(taemin, 'sora');
    await sora.reload();
    const request = receivedRequests(sora).filter({ hasText: 'taemin 님이' });
    await request.waitFor();

    // Sora's page is not refreshed in the meantime (as if its 3-second poll were late).
    await sora.route('**/pair', (route) => (route.request().headers()['hx-request'] ? route.abort() : route.continue()));

    await taemin.getByRole('link', { name: '내 정보' }).click();
    await expectPath(taemin, '/account');
    await taemin.getByLabel('비밀번호', { exact: true }).fill(PASSWORD);
    await submit(taemin, '탈퇴하기');
    await expectPath(taemin, '/login');

    const answered = sora.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/accept'));
    await request.getByRole('button', { name: '수락', exact: true }).click();
    await answered;
    await request.waitFor({ state: 'detached' });
    // One top bar, one main: not a whole error page swapped into the list.
    expect(await sora.getByRole('button', { name: '로그아웃', exact: true }).count()).toBe(1);
    expect(await sora.getByRole('main').count()).toBe(1);
    expect(pathOf(sora)).toBe('/pair');
    await expectVisibleText(sora, '이 신청은 더 이상 없어요.');
    await expectVisibleText(sora.getByRole('region', { name: '받은 신청' }), '받은 신청이 없어요.');
  });
});
