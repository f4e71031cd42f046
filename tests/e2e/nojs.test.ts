// Everything up to the chat works with JavaScript off: plain forms, POST → 303, and a
// reload by hand where the JavaScript page would poll.
import type { Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { browserSuite, describeBrowser, expectFieldError, expectPath, expectVisibleText, fillSignup, logIn, logOut, pathOf, receivedRequests, sendPairRequest, sentRequests, signUp, submit, tryLogIn } from '../support/browser';
import { PASSWORD } from '../support/client';

describeBrowser('with JavaScript disabled', () => {
  const suite = browserSuite();
  let dahye: Page;
  let junho: Page;

  beforeAll(async () => {
    [dahye, junho] = await suite.people(2, { javaScriptEnabled: false });
  });

  it('shows a rejected sign-up again with the typed ID kept and the error by its field', async () => {
    await dahye.goto('/signup');

    await fillSignup(dahye, 'dahye', 'short');
    await submit(dahye, '가입하기');
    await expectFieldError(dahye, '비밀번호', '비밀번호는 8~64자여야 해요.');
    expect(await dahye.getByLabel('아이디', { exact: true }).inputValue()).toBe('dahye');

    await fillSignup(dahye, 'dahye', PASSWORD, PASSWORD + 'x');
    await submit(dahye, '가입하기');
    await expectFieldError(dahye, '비밀번호 확인', '비밀번호가 서로 달라요.');
  });

  it('signs up, logs out, keeps the typed ID after a wrong password, and logs in', async () => {
    await signUp(dahye, 'dahye');
    await expectVisibleText(dahye, '가입을 환영해요!');
    await logOut(dahye);

    await tryLogIn(dahye, 'dahye', 'wrong-password-99');
    await expectPath(dahye, '/login');
    await expectVisibleText(dahye.getByRole('alert'), '아이디 또는 비밀번호가 맞지 않아요.');
    expect(await dahye.getByLabel('아이디', { exact: true }).inputValue()).toBe('dahye');
    expect(await dahye.getByLabel('비밀번호', { exact: true }).inputValue()).toBe('');

    await logIn(dahye, 'dahye');
  });

  it('pairs two people: the requester reloads /pair by hand and is taken to the chat', async () => {
    await signUp(junho, 'junho');
    await sendPairRequest(junho, 'nobody_here');
    await expectFieldError(junho, '연인의 아이디', '없는 아이디예요.');
    await sendPairRequest(junho, 'dahye');
    await expectVisibleText(junho, 'dahye 님에게 커플 신청을 보냈어요.');
    await expectVisibleText(sentRequests(junho), 'dahye 님의 수락을 기다리는 중');

    await dahye.reload();
    const received = receivedRequests(dahye);
    await expectVisibleText(received, 'junho 님이 커플 신청을 보냈어요');
    await submit(dahye, received.filter({ hasText: 'junho 님이' }).getByRole('button', { name: '수락', exact: true }));
    await expectPath(dahye, '/chat');
    await expectVisibleText(dahye, '커플이 연결됐어요!');
    await expectVisibleText(dahye.getByRole('heading', { level: 1 }), 'junho 님과의 대화');

    // No script, no polling: the page stays as it was until its owner reloads it.
    expect(pathOf(junho)).toBe('/pair');
    await junho.reload();
    await expectPath(junho, '/chat');
    await expectVisibleText(junho.getByRole('heading', { level: 1 }), 'dahye 님과의 대화');
  });
});
