// The original acceptance walk-through (seed/original-project.md, "ID 1 : …" up to
// "ID 3 : 로그인 하기"), in real Chromium, with one browser context per person.
import type { Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { browserSuite, describeBrowser, expectFieldError, expectPath, expectVisibleText, fieldOf, fillSignup, logIn, logOut, receivedRequests, sendPairRequest, sentRequests, signUp, submit, tryLogIn } from '../support/browser';
import { PASSWORD } from '../support/client';
import type { TestApp } from '../support/testApp';

// 60 characters, 40 of them Korean: 140 bytes in UTF-8, well past bcrypt's 72.
const LONG_PASSWORD = '사랑해요'.repeat(10) + '-long-password-2026-';

describeBrowser('the original walk-through, ID 1 to ID 4', () => {
  const suite = browserSuite();
  let app: TestApp;
  // ID 1 … ID 4 of the walk-through, each in their own browser profile.
  let yoonseok: Page;
  let jiwoo: Page;
  let minji: Page;
  let hana: Page;

  beforeAll(async () => {
    app = suite.app;
    [yoonseok, jiwoo, minji, hana] = await suite.people(4);
  });

  it('ID 1 cannot sign up without a valid ID, sees the live ID check, and no spaces in a password', async () => {
    const page = yoonseok;
    await page.goto('/');
    await expectPath(page, '/login');
    await page.getByRole('link', { name: '회원가입' }).click();
    await expectPath(page, '/signup');

    // 가입하기 straight away, the ID never checked: the error sits next to the ID field.
    await fillSignup(page, '', PASSWORD);
    await submit(page, '가입하기');
    await expectFieldError(page, '아이디', '아이디를 입력해 주세요.');

    await fillSignup(page, 'yo!', PASSWORD);
    await submit(page, '가입하기');
    await expectFieldError(page, '아이디', '아이디는 영문 소문자, 숫자, _ 로 4~20자여야 해요.');
    expect(await page.getByLabel('아이디', { exact: true }).inputValue()).toBe('yo!');

    // Typing a free ID: the availability check answers by itself after a pause.
    const idField = fieldOf(page, '아이디');
    await page.getByLabel('아이디', { exact: true }).clear();
    await page.getByLabel('아이디', { exact: true }).pressSequentially('yoonseok', { delay: 30 });
    await expect.poll(() => idField.getByRole('status').innerText()).toBe('사용할 수 있는 아이디예요.');

    await page.getByLabel('비밀번호', { exact: true }).fill('violet Harbor 42');
    await page.getByLabel('비밀번호 확인', { exact: true }).fill('violet Harbor 42');
    await submit(page, '가입하기');
    await expectFieldError(page, '비밀번호', '비밀번호에 공백을 넣을 수 없어요.');
    expect(await page.getByLabel('아이디', { exact: true }).inputValue()).toBe('yoonseok');
  });

  it('ID 1 signs up, logs out, is refused a wrong password and logs in', async () => {
    const page = yoonseok;
    await signUp(page, 'yoonseok');
    await expectVisibleText(page, '가입을 환영해요!');
    await logOut(page);

    await tryLogIn(page, 'yoonseok', 'violet-Harbor-43');
    await expectPath(page, '/login');
    await expectVisibleText(page.getByRole('alert'), '아이디 또는 비밀번호가 맞지 않아요.');
    expect(await page.getByLabel('아이디', { exact: true }).inputValue()).toBe('yoonseok');

    await logIn(page, 'yoonseok');
    await expectVisibleText(page.getByRole('heading', { level: 1 }), '커플 연결');
  });

  it('ID 1 cannot send a couple request to itself or to an ID that does not exist', async () => {
    const page = yoonseok;
    await sendPairRequest(page, 'yoonseok');
    await expectFieldError(page, '연인의 아이디', '내 아이디에는 신청할 수 없어요.');

    await sendPairRequest(page, 'nobody_here');
    await expectFieldError(page, '연인의 아이디', '없는 아이디예요.');
    expect(await page.getByLabel('연인의 아이디', { exact: true }).inputValue()).toBe('nobody_here');

    await logOut(page);
  });

  it("ID 2 cannot take ID 1's ID, signs up, and sends ID 1 one request only", async () => {
    const page = jiwoo;
    await page.goto('/signup');
    const idField = fieldOf(page, '아이디');
    await page.getByLabel('아이디', { exact: true }).pressSequentially('yoonseok', { delay: 30 });
    await expect.poll(() => idField.getByRole('status').innerText()).toBe('이미 사용 중인 아이디예요.');

    // Sent anyway: the server says the same, next to the field.
    await page.getByLabel('비밀번호', { exact: true }).fill(PASSWORD);
    await page.getByLabel('비밀번호 확인', { exact: true }).fill(PASSWORD);
    await submit(page, '가입하기');
    await expectFieldError(page, '아이디', '이미 사용 중인 아이디예요.');
    expect(await page.getByLabel('아이디', { exact: true }).inputValue()).toBe('yoonseok');

    await page.getByLabel('아이디', { exact: true }).fill('jiwoo');
    await expect.poll(() => idField.getByRole('status').innerText()).toBe('사용할 수 있는 아이디예요.');
    await signUp(page, 'jiwoo');

    await sendPairRequest(page, 'yoonseok');
    await expectVisibleText(page, 'yoonseok 님에게 커플 신청을 보냈어요.');

    await page.reload();
    await expectVisibleText(sentRequests(page), 'yoonseok 님의 수락을 기다리는 중');

    await sendPairRequest(page, 'yoonseok');
    await expectFieldError(page, '연인의 아이디', '이미 이 사람에게 신청을 보냈어요.');

    await logOut(page);
  });

  it('ID 3 and ID 4 each send ID 1 a request', async () => {
    await signUp(minji, 'minji');
    await sendPairRequest(minji, 'yoonseok');
    await expectVisibleText(sentRequests(minji), 'yoonseok 님의 수락을 기다리는 중');
    // ID 3 stays on /pair from here on, in its own browser, waiting.

    await signUp(hana, 'hana');
    await sendPairRequest(hana, 'yoonseok');
    await expectVisibleText(sentRequests(hana), 'yoonseok 님의 수락을 기다리는 중');
    await logOut(hana);
  });

  it('ID 1 sees the three received requests', async () => {
    await logIn(yoonseok, 'yoonseok');
    const received = receivedRequests(yoonseok);
    await expect.poll(() => received.allInnerTexts()).toHaveLength(3);
    const texts = (await received.allInnerTexts()).join('\n');
    for (const who of ['jiwoo', 'minji', 'hana']) expect(texts).toContain(`${who} 님이 커플 신청을 보냈어요`);
    await logOut(yoonseok);
  });

  it('ID 2 deletes its account with its password and then cannot log in', async () => {
    const page = jiwoo;
    await logIn(page, 'jiwoo');
    await page.getByRole('link', { name: '내 정보' }).click();
    await expectPath(page, '/account');

    await page.getByLabel('비밀번호', { exact: true }).fill('not-my-password-1');
    await submit(page, '탈퇴하기');
    await expectFieldError(page, '비밀번호', '비밀번호가 맞지 않아요.');

    await page.getByLabel('비밀번호', { exact: true }).fill(PASSWORD);
    await submit(page, '탈퇴하기');
    await expectPath(page, '/login');
    await expectVisibleText(page, '탈퇴가 완료됐어요.');

    await tryLogIn(page, 'jiwoo', PASSWORD);
    await expectPath(page, '/login');
    await expectVisibleText(page.getByRole('alert'), '아이디 또는 비밀번호가 맞지 않아요.');
  });

  it("ID 1 now has two requests, accepts ID 3's, and ID 3's open page follows to the chat", async () => {
    await logIn(yoonseok, 'yoonseok');
    const received = receivedRequests(yoonseok);
    await expect.poll(() => received.allInnerTexts()).toHaveLength(2);
    const texts = (await received.allInnerTexts()).join('\n');
    expect(texts).not.toContain('jiwoo');
    expect(texts).toContain('minji 님이 커플 신청을 보냈어요');
    expect(texts).toContain('hana 님이 커플 신청을 보냈어요');

    expect(new URL(minji.url()).pathname).toBe('/pair');
    await received.filter({ hasText: 'minji 님이' }).getByRole('button', { name: '수락', exact: true }).click();
    await expectPath(yoonseok, '/chat');
    await expectVisibleText(yoonseok, '커플이 연결됐어요!');
    await expectVisibleText(yoonseok.getByRole('heading', { level: 1 }), 'minji 님과의 대화');

    // Nobody touches ID 3's browser: its /pair page polls and moves on by itself.
    await expectPath(minji, '/chat', 10_000);
    await expectVisibleText(minji.getByRole('heading', { level: 1 }), 'yoonseok 님과의 대화');

    await logOut(yoonseok);
  }, 40_000);

  it('ID 4 finds its request gone, changes to a long password, logs in with it, and leaves', async () => {
    const page = hana;
    await logIn(page, 'hana');
    await expectVisibleText(sentRequests(page), '보낸 신청이 없어요.');
    expect(await sentRequests(page).innerText()).not.toContain('yoonseok');

    await page.getByRole('link', { name: '내 정보' }).click();
    await expectPath(page, '/account');
    expect([...LONG_PASSWORD].length).toBe(60);
    await page.getByLabel('현재 비밀번호', { exact: true }).fill(PASSWORD);
    await page.getByLabel('새 비밀번호', { exact: true }).fill(LONG_PASSWORD);
    await page.getByLabel('새 비밀번호 확인', { exact: true }).fill(LONG_PASSWORD);
    await submit(page, '비밀번호 변경');
    await expectPath(page, '/account');
    await expectVisibleText(page, '비밀번호를 바꿨어요.');
    await logOut(page);

    await tryLogIn(page, 'hana', PASSWORD);
    await expectVisibleText(page.getByRole('alert'), '아이디 또는 비밀번호가 맞지 않아요.');
    // The first 138 bytes match, the end differs: every character of a long password counts.
    await tryLogIn(page, 'hana', '사랑해요'.repeat(10) + '-long-password-2025-');
    await expectVisibleText(page.getByRole('alert'), '아이디 또는 비밀번호가 맞지 않아요.');

    await logIn(page, 'hana', LONG_PASSWORD);
    await page.getByRole('link', { name: '내 정보' }).click();
    await expectPath(page, '/account');
    await page.getByLabel('비밀번호', { exact: true }).fill(LONG_PASSWORD);
    await submit(page, '탈퇴하기');
    await expectPath(page, '/login');
    await expectVisibleText(page, '탈퇴가 완료됐어요.');
  });

  it('ID 3 logs in again and goes straight to the chat', async () => {
    await logOut(minji);
    await logIn(minji, 'minji', PASSWORD, '/chat');
    await expectVisibleText(minji.getByRole('heading', { level: 1 }), 'yoonseok 님과의 대화');
  });
});
