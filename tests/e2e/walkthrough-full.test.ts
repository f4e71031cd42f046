// The original acceptance walk-through (seed/original-project.md), complete: from ID 1's
// first sign-up to "ID 3,4 커넥션 돌아가서 정상 작동 확인", in real Chromium, with one
// browser context (a phone in Seoul) per person, and a break-up grace of seconds instead
// of seven days. The its run in order and share the people's pages.
//
// Who is who: ID 1 is yoonseok, ID 2 jiwoo, ID 3 minji, ID 4 hana. ID 2 and ID 4 delete
// their accounts early on and ID 1 pairs with ID 3, so in the sample conversation
// ("1 : …", "2 : …") 1 is yoonseok and 2 is minji. The two new people are dahye and junho.
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { beforeAll, expect, it } from 'vitest';
import {
  browserSuite,
  describeBrowser,
  expectFieldError,
  expectPath,
  expectVisibleText,
  fieldOf,
  fillSignup,
  logIn,
  logOut,
  receivedRequests,
  sendPairRequest,
  sentRequests,
  signUp,
  submit,
  tryLogIn,
} from '../support/browser';
import { composer, focusedId, mySide, phoneContext, shownMessages, typeAndSend } from '../support/chatPages';
import { PASSWORD } from '../support/client';
import { answerWithKeyboard, cardState, expectPartnerAnswered, expectQuestionAsked, expectRevealed, expectWaitingNote } from '../support/questionPages';
import type { TestApp } from '../support/testApp';
import {
  addDays,
  addPlan,
  calendarTitle,
  clearOfSeoulMidnight,
  ddayText,
  download,
  excludedWords,
  expectItems,
  foundOn,
  isOpen,
  markDday,
  monthTitle,
  moveCalendar,
  nextMonthTenth,
  plansOn,
  previewOf,
  rankColumn,
  search,
  sendFiles,
  seoulToday,
  shownItems,
  type Upload,
} from '../support/walkthroughPages';
import { testClock } from '../support/clock';

/** BREAKUP_GRACE for this run: long enough to start and cancel a break-up, short enough to wait one out. */
const GRACE_MS = 30_000;

// 60 characters, 40 of them Korean: 140 bytes in UTF-8, well past bcrypt's 72.
const LONG_PASSWORD = '사랑해요'.repeat(10) + '-long-password-2026-';

type Who = 1 | 2;

/** The questions of the sample conversation (Q : …) and what each partner answers. */
const EXERCISE = '운동하는 거 좋아해?';
const CATS = '고양이랑 강아지 중에 누굴 더 좋아해?';
const FOOD = '한식 / 중식 / 양식 / 일식 중에 뭘 제일 좋아해?';
const HOMEWORK_Q = '과제는 미리미리 하는 편이야, 마감 직전에 몰아서 하는 편이야?';
const ANSWERS: Record<string, Record<Who, string>> = {
  [EXERCISE]: { 1: '솔직히 별로… 근데 같이 하면 할 수 있을 듯', 2: '완전 좋아해! 일주일에 네다섯 번은 가' },
  [CATS]: { 1: '강아지! 같이 산책하고 싶어', 2: '고양이! 보이면 못 지나쳐' },
  [FOOD]: { 1: '한식! 국밥 최고', 2: '일식, 초밥이면 다 좋아' },
  [HOMEWORK_Q]: { 1: '마감 직전에 몰아서… 반성 중', 2: '미리미리 하는 편!' },
};

const FOOD_LINE = '아 나는 밥 먹으러 갔다 와야겠다!';
const HOMEWORK_LINE = '아 근데 혹시 과제 코드 보내줄 수 있어?';

const image = (width: number, height: number, background: string) => sharp({ create: { width, height, channels: 3, background } });

describeBrowser('the original walk-through, complete', () => {
  const suite = browserSuite({ breakupGraceMs: GRACE_MS });
  let app: TestApp;
  // ID 1 … ID 4, each on a phone of their own; later the two new people.
  let yoonseok: Page;
  let jiwoo: Page;
  let minji: Page;
  let hana: Page;
  let dahye: Page;
  let junho: Page;
  /** What the chat of ID 1 and ID 3 shows, in order (texts, "사진 name", "파일 name"). */
  const items: string[] = [];
  let photos: Record<string, Upload>;
  let files: Record<string, Upload>;

  const pageOf = (who: Who) => (who === 1 ? yoonseok : minji);
  const loginOf = (who: Who) => (who === 1 ? 'yoonseok' : 'minji');

  beforeAll(async () => {
    // its messages are all "today" when searched by date: not begun just before midnight
    await clearOfSeoulMidnight(2 * 60_000);
    app = suite.app;
    [yoonseok, jiwoo, minji, hana] = await Promise.all([1, 2, 3, 4].map(async () => (await suite.open(phoneContext)).page));
    photos = {
      street: { name: '길고양이.jpg', mimeType: 'image/jpeg', buffer: await image(1200, 900, '#c8a070').jpeg().toBuffer() },
      home: { name: '우리집고양이.png', mimeType: 'image/png', buffer: await image(600, 800, '#f0d0e0').png().toBuffer() },
      walk: { name: '산책.jpg', mimeType: 'image/jpeg', buffer: await image(900, 600, '#80b0f0').jpeg().toBuffer() },
      sleepy: { name: '낮잠.jpg', mimeType: 'image/jpeg', buffer: await image(640, 640, '#a0d090').jpeg().toBuffer() },
    };
    files = {
      go: { name: 'homework.go', mimeType: 'text/plain', buffer: Buffer.from('package main\n\nimport "fmt"\n\nfunc main() {\n\tfmt.Println("커플 채팅 과제")\n}\n') },
      txt: { name: '과제설명.txt', mimeType: 'text/plain', buffer: Buffer.from('과제 설명\n1. 웹소켓으로 실시간 채팅\n2. 질문 팝업\n') },
    };
  }, 4 * 60_000);

  /** One person writes a line; both phones show it, in order. A question must not pop up. */
  async function say(who: Who, text: string): Promise<void> {
    await typeAndSend(pageOf(who), text);
    items.push(text);
    for (const page of [yoonseok, minji]) await expectItems(page, items);
    await expectNoQuestion();
  }

  /** A line that pops a question up on both phones; the one who wrote it answers first. */
  async function sayAndAnswer(who: Who, text: string, question: string): Promise<void> {
    await typeAndSend(pageOf(who), text);
    items.push(text);
    for (const page of [yoonseok, minji]) {
      await expectItems(page, items);
      await expectQuestionAsked(page, question);
    }
    const other: Who = who === 1 ? 2 : 1;
    expect(await answerWithKeyboard(pageOf(who), ANSWERS[question][who])).toBe(200);
    await expectWaitingNote(pageOf(who), question);
    await expectPartnerAnswered(pageOf(other));
    expect(await answerWithKeyboard(pageOf(other), ANSWERS[question][other])).toBe(200);
    await expectBothAnswers(question);
  }

  /** Both phones show both answers: mine, labelled 나, then my partner's under their ID. */
  async function expectBothAnswers(question: string): Promise<void> {
    for (const [me, partner] of [[1, 2], [2, 1]] as const) {
      expect(await expectRevealed(pageOf(me), question)).toEqual([
        { who: '나', body: ANSWERS[question][me] },
        { who: loginOf(partner), body: ANSWERS[question][partner] },
      ]);
    }
  }

  /** No question card is open on either phone. */
  async function expectNoQuestion(): Promise<void> {
    for (const page of [yoonseok, minji]) expect((await cardState(page))?.open ?? false).toBe(false);
  }

  /** The /answers page as [question, [[who, answer], …]] per item, newest first. */
  async function answersPage(page: Page): Promise<Array<[string, string[][]]>> {
    await page.getByRole('banner').getByRole('link', { name: '질문과 답', exact: true }).click();
    await expectPath(page, '/answers');
    return page.locator('.answer-list > li').evaluateAll((lis) =>
      lis.map((li): [string, string[][]] => [
        (li.querySelector<HTMLElement>('.question-text')?.innerText ?? '').trim(),
        Array.from(li.querySelectorAll<HTMLElement>('.answer-pair .answer')).map((a) => [
          (a.querySelector<HTMLElement>('dt')?.innerText ?? '').trim(),
          (a.querySelector<HTMLElement>('dd')?.innerText ?? '').trim(),
        ]),
      ]),
    );
  }

  const toChat = async (page: Page) => {
    await page.getByRole('banner').getByRole('link', { name: '채팅', exact: true }).click();
    await expectPath(page, '/chat');
  };

  const toAccount = async (page: Page) => {
    await page.getByRole('banner').getByRole('link', { name: '내 정보', exact: true }).click();
    await expectPath(page, '/account');
  };

  // ---- ID 1 … ID 4: sign-ups, requests, deletions (the first part of the walk-through) -----

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
    // ID 3 stays on /pair from here on, on its own phone, waiting.

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
    await toAccount(page);

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

    // Nobody touches ID 3's phone: its /pair page polls and moves on by itself.
    await expectPath(minji, '/chat', 10_000);
    await expectVisibleText(minji.getByRole('heading', { level: 1 }), 'yoonseok 님과의 대화');

    await logOut(yoonseok);
  }, 40_000);

  it('ID 4 finds its request gone, changes to a long password, logs in with it, and leaves', async () => {
    const page = hana;
    await logIn(page, 'hana');
    await expectVisibleText(sentRequests(page), '보낸 신청이 없어요.');
    expect(await sentRequests(page).innerText()).not.toContain('yoonseok');

    await toAccount(page);
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
    await toAccount(page);
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

  // ---- the sample conversation, live on both phones, with question time -------------------

  it('ID 1 and ID 3 chat live; 운동 and then 길고양이 each ask a question once, both answer', async () => {
    await logIn(yoonseok, 'yoonseok', PASSWORD, '/chat');
    await expectVisibleText(yoonseok.getByRole('heading', { level: 1 }), 'minji 님과의 대화');
    await expectVisibleText(yoonseok, '아직 대화가 없어요.');

    await say(1, '안녕 내 이름은 최윤석이야');
    await say(1, '나는 컴퓨터공학과에 재학 중이야');
    await say(2, '안녕 반가워!!');
    await say(1, '오늘 뭐 할 예정이야?');
    await sayAndAnswer(2, '나는 운동갔다가 저녁 먹고 쉬려고!', EXERCISE);
    // 운동 and 헬스 again: that question was had, nothing pops up ("질문 중복 안되는 것 확인")
    await say(1, '대단하다 운동하는 거 너무 귀찮아');
    await say(1, '어떤 운동 하러가?');
    await say(2, '나는 헬스하는데 그래도 일주일에 네다섯번은 가는 것 같아');
    await expectNoQuestion();
    // 운동 (had) and 길고양이 (new) in one line: the new one is asked
    await sayAndAnswer(2, '어제 운동 가는 길에 길고양이 봤는데 너무 귀엽더라', CATS);
    await expectNoQuestion();
  }, 90_000);

  it('photos: thumbnails on both phones; the preview opens, closes, opens again, and downloads the original bytes', async () => {
    await say(2, '사진 보여줄게!');
    await sendFiles(minji, [photos.street]);
    items.push(`사진 ${photos.street.name}`);
    for (const page of [yoonseok, minji]) await expectItems(page, items, 15_000);

    await say(1, '너무 귀엽다 나도 사진 보내줄게!!');
    await sendFiles(yoonseok, [photos.home, photos.walk]);
    items.push(`사진 ${photos.home.name}, ${photos.walk.name}`); // picked together: one message, an album
    for (const page of [yoonseok, minji]) await expectItems(page, items, 15_000);

    await say(2, '너무 귀엽다 ㅠㅠ');
    await sendFiles(minji, [photos.sleepy]);
    items.push(`사진 ${photos.sleepy.name}`);
    for (const page of [yoonseok, minji]) await expectItems(page, items, 15_000);
    await say(1, '그러니까 ㅠㅜ');

    // Each photo is a thumbnail (smaller than the original) that has loaded (lazily: it may take a moment).
    for (const page of [yoonseok, minji]) {
      const widths = () => page.locator('#messages a.photo img').evaluateAll((imgs) => imgs.map((i) => (i as HTMLImageElement).naturalWidth));
      await expect.poll(async () => (await widths()).filter((w) => w > 0).length).toBe(4);
      expect((await widths())[0]).toBeLessThan(1200);
    }

    // ID 1 opens ID 3's photo, closes it, opens it again and downloads it from the preview.
    const thumb = yoonseok.locator(`#messages a.photo img[alt="${photos.street.name}"]`);
    const preview = previewOf(yoonseok);
    await thumb.click();
    await expect.poll(() => isOpen(preview)).toBe(true);
    await expect.poll(() => preview.locator('img').evaluate((i) => (i as HTMLImageElement).naturalWidth)).toBe(1200);
    await preview.getByRole('button', { name: '닫기', exact: true }).click();
    await expect.poll(() => isOpen(preview)).toBe(false);

    await thumb.click();
    await expect.poll(() => isOpen(preview)).toBe(true);
    const saved = await download(yoonseok, preview.getByRole('link', { name: '다운로드', exact: true }));
    expect(saved.name).toBe(photos.street.name);
    expect(Buffer.compare(saved.bytes, photos.street.buffer)).toBe(0);
    await yoonseok.keyboard.press('Escape');
    await expect.poll(() => isOpen(preview)).toBe(false);

    // and ID 3 downloads ID 1's PNG the same way
    await minji.locator(`#messages a.photo img[alt="${photos.home.name}"]`).click();
    await expect.poll(() => isOpen(previewOf(minji))).toBe(true);
    const png = await download(minji, previewOf(minji).getByRole('link', { name: '다운로드', exact: true }));
    expect(png.name).toBe(photos.home.name);
    expect(Buffer.compare(png.bytes, photos.home.buffer)).toBe(0);
    await previewOf(minji).getByRole('button', { name: '닫기', exact: true }).click();
    await expect.poll(() => isOpen(previewOf(minji))).toBe(false);
  }, 90_000);

  it('밥 asks a question; ID 1 logs out, ID 3 answers and chats on; only both answers reach 질문과 답; back, ID 1 still has to answer', async () => {
    await typeAndSend(yoonseok, FOOD_LINE);
    items.push(FOOD_LINE);
    for (const page of [yoonseok, minji]) {
      await expectItems(page, items);
      await expectQuestionAsked(page, FOOD);
    }
    // ID 1 goes to eat without answering: 로그아웃, the question still above his composer.
    await logOut(yoonseok);

    // ID 3 answers and chats on.
    expect(await answerWithKeyboard(minji, ANSWERS[FOOD][2])).toBe(200);
    await expectWaitingNote(minji, FOOD);
    expect(await focusedId(minji)).toBe('body');
    await typeAndSend(minji, '응응 맛있게 먹고 와!!');
    items.push('응응 맛있게 먹고 와!!');
    await expectItems(minji, items);

    // 질문과 답 before the second answer: her own answer, and ID 1's still awaited.
    let answers = await answersPage(minji);
    expect(answers[0]).toEqual([FOOD, [['나', ANSWERS[FOOD][2]], ['yoonseok', '상대의 답을 기다리고 있어요']]]);
    expect(answers.map(([q]) => q)).toEqual([FOOD, CATS, EXERCISE]);
    await toChat(minji);
    await expectWaitingNote(minji, FOOD);

    // ID 1 is back: the question is still there, above his composer.
    await logIn(yoonseok, 'yoonseok', PASSWORD, '/chat');
    await expectItems(yoonseok, items);
    await expectQuestionAsked(yoonseok, FOOD);
    // A look at 질문과 답: the question waits for him, her answer is not shown yet.
    answers = await answersPage(yoonseok);
    expect(answers[0]).toEqual([FOOD, []]);
    const first = yoonseok.locator('.answer-list > li').first();
    await expectVisibleText(first, '내 답을 기다리고 있어요');
    expect(await yoonseok.locator('main').innerText()).not.toContain(ANSWERS[FOOD][2]);
    await toChat(yoonseok);
    await expectQuestionAsked(yoonseok, FOOD);

    // Chatting on waits until he answers: the text stays in the box, sending takes him to the answer.
    await composer(yoonseok).click();
    await typeAndSend(yoonseok, HOMEWORK_LINE);
    await expect.poll(async () => (await cardState(yoonseok))?.answerFocused).toBe(true);
    expect(await composer(yoonseok).inputValue()).toBe(HOMEWORK_LINE);
    expect(await shownItems(minji)).toEqual(items);

    // He answers: both answers on both phones, and on 질문과 답.
    expect(await answerWithKeyboard(yoonseok, ANSWERS[FOOD][1])).toBe(200);
    await expectBothAnswers(FOOD);
    answers = await answersPage(minji);
    expect(answers[0]).toEqual([FOOD, [['나', ANSWERS[FOOD][2]], ['yoonseok', ANSWERS[FOOD][1]]]]);
    await toChat(minji);
    expect(await cardState(minji)).toBeNull();
  }, 90_000);

  it('과제 asks a question; ID 3 sends a .go and a .txt file, ID 1 downloads both byte for byte; no question twice', async () => {
    // the message held back for the question goes out now, and asks the next one
    expect(await composer(yoonseok).inputValue()).toBe(HOMEWORK_LINE);
    await composer(yoonseok).press('Enter');
    items.push(HOMEWORK_LINE);
    for (const page of [yoonseok, minji]) {
      await expectItems(page, items);
      await expectQuestionAsked(page, HOMEWORK_Q);
    }
    expect(await answerWithKeyboard(yoonseok, ANSWERS[HOMEWORK_Q][1])).toBe(200);
    await expectWaitingNote(yoonseok, HOMEWORK_Q);
    await expectPartnerAnswered(minji);
    expect(await answerWithKeyboard(minji, ANSWERS[HOMEWORK_Q][2])).toBe(200);
    await expectBothAnswers(HOMEWORK_Q);

    await say(2, '응 그럼!! 잠깐만!');
    await sendFiles(minji, [files.go]);
    items.push(`파일 ${files.go.name}`);
    for (const page of [yoonseok, minji]) await expectItems(page, items, 15_000);
    await say(2, '텍스트 파일도 같이 보내줄게!!');
    await sendFiles(minji, [files.txt]);
    items.push(`파일 ${files.txt.name}`);
    for (const page of [yoonseok, minji]) await expectItems(page, items, 15_000);

    for (const file of [files.go, files.txt]) {
      const saved = await download(yoonseok, yoonseok.locator('#messages a.file').filter({ hasText: file.name }));
      expect(saved.name).toBe(file.name);
      expect(Buffer.compare(saved.bytes, file.buffer)).toBe(0);
    }

    await say(1, '고마워 ㅎㅎㅎ');
    await say(2, '과제 화이팅!! 너무 늦게까지 하지 마'); // 과제 again: asked already
    await say(1, '아 진짜 너무 고마워 내일 맛있는 거 사줄게');
    await say(1, '아 맞다 우리 다음 주에 만나는 거 달력에 적어둘게');
    await say(2, '좋아 ㅎㅎ 내일 봐!');
    await expectNoQuestion();

    // every message on its side on both phones: mine on the right
    for (const page of [yoonseok, minji]) {
      const me = await mySide(page);
      const shown = await shownMessages(page);
      expect(shown).toHaveLength(items.length);
      for (const m of shown) expect(m.right, `"${m.text}"`).toBe(m.from === me);
    }
  }, 90_000);

  // ---- SEARCH, ANSWER, RANK --------------------------------------------------------------

  it('SEARCH finds words (highlighted, with who wrote them) and the messages of a date', async () => {
    const page = yoonseok;
    expect(await search(page, { q: '고양이' })).toEqual([{ who: 'minji', text: '어제 운동 가는 길에 길고양이 봤는데 너무 귀엽더라', marks: ['고양이'] }]);
    expect(await search(page, { q: '과제' })).toEqual([
      { who: 'minji', text: '과제 화이팅!! 너무 늦게까지 하지 마', marks: ['과제'] },
      { who: '나', text: HOMEWORK_LINE, marks: ['과제'] },
    ]);
    expect(await search(page, { q: '떡볶이' })).toEqual([]);
    await expectVisibleText(page.locator('main'), '검색 결과가 없어요.');

    // by date: today's messages, newest first, 20 at a time
    const today = seoulToday();
    const newestFirst = [...items].reverse();
    const day = await search(page, { date: today });
    expect(day).toHaveLength(20);
    expect(day[0]).toEqual({ who: 'minji', text: '좋아 ㅎㅎ 내일 봐!', marks: [] });
    await page.locator('#more-results').getByRole('link', { name: '더 보기', exact: true }).click();
    await expect.poll(async () => (await foundOn(page)).length).toBe(items.length);
    expect(await page.locator('#more-results').count()).toBe(0);
    const uploads = new Set([...Object.values(photos).map((u) => `사진 ${u.name}`), `사진 ${photos.home.name}, ${photos.walk.name}`, ...Object.values(files).map((u) => `파일 ${u.name}`)]);
    // (a photo or a file is a result too; only the texts are compared)
    const found = await foundOn(page);
    expect(found.filter((_, i) => !uploads.has(newestFirst[i])).map((r) => r.text)).toEqual(newestFirst.filter((i) => !uploads.has(i)));

    // nothing the day before; a word and a date together
    expect(await search(page, { date: addDays(today, -1) })).toEqual([]);
    await expectVisibleText(page.locator('main'), '검색 결과가 없어요.');
    expect((await search(page, { q: '사진', date: today })).map((r) => r.text)).toEqual(['너무 귀엽다 나도 사진 보내줄게!!', '사진 보여줄게!']);
  }, 60_000);

  it('ANSWER shows the four questions, each with both answers', async () => {
    for (const [page, me, partner, partnerLogin] of [
      [yoonseok, 1, 2, 'minji'],
      [minji, 2, 1, 'yoonseok'],
    ] as const) {
      expect(await answersPage(page)).toEqual(
        [HOMEWORK_Q, FOOD, CATS, EXERCISE].map((q) => [q, [['나', ANSWERS[q][me]], [partnerLogin, ANSWERS[q][partner]]]]),
      );
    }
    await toChat(minji);
  });

  it('RANK shows each partner\'s top words; a word is excluded (button and form) and restored', async () => {
    const page = yoonseok;
    await page.getByRole('banner').getByRole('link', { name: '단어 순위', exact: true }).click();
    await expectPath(page, '/rank');
    await expectVisibleText(page.locator('.rank-column.theirs h2'), 'minji');
    expect(await page.locator('.rank-sizes [aria-current="page"]').innerText()).toBe('5위까지');
    // "아", the filler word ID 1 says most (4 times), is his first
    expect(await rankColumn(page, 'mine')).toHaveLength(5);
    expect((await rankColumn(page, 'mine'))[0]).toEqual(['아', '4번']);
    expect((await rankColumn(page, 'theirs'))[0]).toEqual(['너무', '3번']);

    for (const n of [3, 10]) {
      await page.getByRole('link', { name: `${n}위까지`, exact: true }).click();
      await expect.poll(() => page.locator('.rank-sizes [aria-current="page"]').innerText()).toBe(`${n}위까지`);
      expect(await rankColumn(page, 'mine')).toHaveLength(n);
      expect(await rankColumn(page, 'theirs')).toHaveLength(n);
    }

    // 제외 beside "아": gone from the ranking, listed as excluded; the 10 stay 10
    await submit(page, page.getByRole('button', { name: '‘아’ 순위에서 제외', exact: true }));
    await expectVisibleText(page, '‘아’ 단어를 순위에서 제외했어요.');
    expect(await page.locator('.rank-sizes [aria-current="page"]').innerText()).toBe('10위까지');
    expect((await rankColumn(page, 'mine')).map(([w]) => w)).not.toContain('아');
    expect(await excludedWords(page)).toEqual(['아']);

    // typed in the form: "너무" leaves both columns (exclusions are the couple's)
    await page.getByLabel('순위에서 뺄 단어', { exact: true }).fill('너무');
    await submit(page, page.locator('.exclude-form').getByRole('button', { name: '제외', exact: true }));
    await expectVisibleText(page, '‘너무’ 단어를 순위에서 제외했어요.');
    for (const who of ['mine', 'theirs'] as const) expect((await rankColumn(page, who)).map(([w]) => w)).not.toContain('너무');
    expect(await excludedWords(page)).toEqual(['너무', '아']);

    // 복구: both back where they were
    for (const word of ['아', '너무']) {
      await submit(page, page.getByRole('button', { name: `‘${word}’ 다시 순위에 넣기`, exact: true }));
      await expectVisibleText(page, `‘${word}’ 단어를 다시 순위에 넣었어요.`);
    }
    expect(await excludedWords(page)).toEqual([]);
    await expectVisibleText(page.locator('.rank-excluded'), '제외한 단어가 없어요.');
    expect((await rankColumn(page, 'mine'))[0]).toEqual(['아', '4번']);
    expect((await rankColumn(page, 'theirs'))[0]).toEqual(['너무', '3번']);
  }, 60_000);

  // ---- CALENDAR ---------------------------------------------------------------------------

  it('CALENDAR: plans this month, next month and several on one day; a D-day ahead, today and past, live in the chat header', async () => {
    const page = yoonseok;
    const today = seoulToday();
    const ahead = addDays(today, 7);
    const nextMonth = nextMonthTenth(today);
    const past = addDays(today, -20);

    await page.getByRole('banner').getByRole('link', { name: '달력', exact: true }).click();
    await expectPath(page, '/calendar');
    expect(await calendarTitle(page)).toBe(monthTitle(today));
    await expectVisibleText(page.locator('.cal-summary'), '함께한 지 1일');
    expect(await page.locator('td[aria-current="date"] time').getAttribute('datetime')).toBe(today);
    expect(await ddayText(page)).toBe('');

    // 일정 추가하기
    await addPlan(page, ahead, '데이트');
    // 다음 달 일정 추가하기: back to this month, then 다음 달
    await moveCalendar(page, '오늘', monthTitle(today));
    await moveCalendar(page, '다음 달', monthTitle(nextMonth));
    await addPlan(page, nextMonth, '수강신청');
    expect(await plansOn(page, nextMonth)).toEqual(['수강신청']);
    // 같은날에 여러 일정 추가하기
    for (const title of ['첫만남', '생일', '알바']) await addPlan(page, ahead, title);
    expect(await plansOn(page, ahead)).toEqual(['데이트', '첫만남', '생일', '알바']);

    // 디데이 설정하기: a week ahead
    await markDday(page, ahead, '생일');
    expect(await ddayText(page)).toBe('D-7 생일');
    expect(await plansOn(page, ahead)).toEqual(['데이트', '첫만남', '생일 D-day', '알바']);
    // ID 3's open chat shows it in its header, live; ID 1's chat header too
    await expect.poll(() => ddayText(minji)).toBe('D-7 생일');
    await toChat(page);
    expect(await ddayText(page)).toBe('D-7 생일');
    // the header's D-day leads to its day on the calendar
    await page.locator('#dday a').click();
    await expectPath(page, '/calendar');
    expect(await calendarTitle(page)).toBe(monthTitle(ahead));

    // 디데이 당일로 설정하기
    await addPlan(page, today, '커플링 맞추기');
    await markDday(page, today, '커플링 맞추기');
    expect(await ddayText(page)).toBe('D-Day 커플링 맞추기');
    await expect.poll(() => ddayText(minji)).toBe('D-Day 커플링 맞추기');

    // 디데이 지난걸로 설정하기
    await addPlan(page, past, '놀이공원');
    await markDday(page, past, '놀이공원');
    expect(await ddayText(page)).toBe('D+20 놀이공원');
    await expect.poll(() => ddayText(minji)).toBe('D+20 놀이공원');
    // one D-day at a time: the earlier ones are plain plans again
    await moveCalendar(page, '오늘', monthTitle(today));
    expect(await plansOn(page, today)).toEqual(['커플링 맞추기']);

    // 달력 전년도 다음년도 확인하고 today 눌러서 이번달로 돌아오기
    await moveCalendar(page, '이전 해', monthTitle(today, -1));
    expect(await page.locator('td[aria-current="date"]').count()).toBe(0);
    await moveCalendar(page, '다음 해', monthTitle(today));
    await moveCalendar(page, '다음 해', monthTitle(today, 1));
    expect(await page.locator('.cal-plans > li').count()).toBe(0);
    await moveCalendar(page, '오늘', monthTitle(today));
    expect(await page.locator('td[aria-current="date"] time').getAttribute('datetime')).toBe(today);
    expect(await plansOn(page, today)).toEqual(['커플링 맞추기']);

    await toChat(page);
    expect(await ddayText(page)).toBe('D+20 놀이공원');
  }, 90_000);

  // ---- 연결끊기 and its cancel, each tried twice -------------------------------------------

  it('연결끊기 starts with the password, a second one is refused; 취소, and a second 취소 is refused; then log out', async () => {
    const banner = (page: Page) => page.locator('#breakup-banner');
    await toAccount(yoonseok);
    await expectVisibleText(yoonseok.locator('#breakup'), '이별을 신청하면 30초 뒤에 커플 연결이 끊어지고');
    // the same page in a second tab, opened before the break-up
    const tab = await yoonseok.context().newPage();
    try {
      await tab.goto('/account');

      await yoonseok.getByLabel('비밀번호 (본인 확인)', { exact: true }).fill('not-my-password-1');
      await submit(yoonseok, '이별 신청하기');
      await expectFieldError(yoonseok, '비밀번호 (본인 확인)', '비밀번호가 맞지 않아요.');
      await yoonseok.getByLabel('비밀번호 (본인 확인)', { exact: true }).fill(PASSWORD);
      await submit(yoonseok, '이별 신청하기');
      await expectPath(yoonseok, '/account');
      await expectVisibleText(yoonseok, '이별을 신청했어요.');
      await expectVisibleText(banner(yoonseok), '이별이 예정되어 있어요');
      await expectVisibleText(banner(yoonseok), '내가 이별을 신청했어요.');
      expect(await banner(yoonseok).locator('.countdown').innerText()).toMatch(/^\d+초 남음$/);
      await expectVisibleText(yoonseok.locator('#breakup'), '이미 이별이 예정되어 있어요. 위의 안내에서 취소할 수 있어요.');
      expect(await yoonseok.getByLabel('비밀번호 (본인 확인)', { exact: true }).count()).toBe(0);
      // ID 3's chat shows the banner, live
      await expectVisibleText(banner(minji), 'yoonseok 님이 이별을 신청했어요.');

      // 연결끊기 한 번 더, from the tab that still has the form
      await tab.getByLabel('비밀번호 (본인 확인)', { exact: true }).fill(PASSWORD);
      const again = tab.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/couple/breakup');
      await submit(tab, '이별 신청하기');
      expect((await again).status()).toBe(409);
      await expectVisibleText(tab.getByRole('heading', { level: 1 }), '이미 이별이 예정되어 있어요. 두 번 신청할 수 없어요.');

      // 연결끊기 취소: the banner goes, on both phones
      await banner(yoonseok).getByRole('button', { name: '이별 취소하기', exact: true }).click();
      await expect.poll(() => banner(yoonseok).innerText()).toBe('');
      await expect.poll(() => banner(minji).innerText()).toBe('');

      // 연결끊기 취소 한 번 더, from the tab's banner
      const cancelAgain = tab.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/couple/breakup/cancel');
      await banner(tab).getByRole('button', { name: '이별 취소하기', exact: true }).click();
      expect((await cancelAgain).status()).toBe(409);
      await expectVisibleText(tab.locator('#htmx-error'), '취소할 이별 신청이 없어요.');
    } finally {
      await tab.close();
    }

    // still a couple: the form is back on a fresh /account
    await yoonseok.reload();
    expect(await banner(yoonseok).innerText()).toBe('');
    expect(await yoonseok.getByLabel('비밀번호 (본인 확인)', { exact: true }).count()).toBe(1);
    await logOut(yoonseok);
  }, 60_000);

  // ---- two new people, a room of their own, at the same time ------------------------------

  it('two new people pair and chat in their own room while ID 1 and ID 3 chat in theirs', async () => {
    [dahye, junho] = await Promise.all([1, 2].map(async () => (await suite.open(phoneContext)).page));
    await signUp(dahye, 'dahye');
    await signUp(junho, 'junho');
    await sendPairRequest(junho, 'dahye');
    await expectVisibleText(sentRequests(junho), 'dahye 님의 수락을 기다리는 중');
    // dahye's open /pair page shows the request by itself
    const received = receivedRequests(dahye);
    await expect.poll(() => received.allInnerTexts(), { timeout: 10_000 }).toEqual([expect.stringContaining('junho 님이 커플 신청을 보냈어요')]);
    await received.getByRole('button', { name: '수락', exact: true }).click();
    await expectPath(dahye, '/chat');
    await expectVisibleText(dahye.getByRole('heading', { level: 1 }), 'junho 님과의 대화');
    await expectPath(junho, '/chat', 10_000);
    await expectVisibleText(junho.getByRole('heading', { level: 1 }), 'dahye 님과의 대화');
    for (const page of [dahye, junho]) {
      await expectVisibleText(page, '아직 대화가 없어요.');
      expect(await ddayText(page)).toBe('');
    }

    // ID 1 is back in his room, where nothing has changed
    await logIn(yoonseok, 'yoonseok', PASSWORD, '/chat');
    await expectItems(yoonseok, items);
    expect(await ddayText(yoonseok)).toBe('D+20 놀이공원');

    // Both couples write at the same moment, four times.
    const room1: Array<[Who, string]> = [
      [2, '과제는 잘 되고 있어?'],
      [1, '응 덕분에 거의 다 했어'],
      [2, '다행이다 ㅎㅎ'],
      [1, '끝나면 바로 갈게'],
    ];
    const room2: Array<[Page, string]> = [
      [junho, '점심 뭐 먹었어?'],
      [dahye, '오늘 수업 몇 시에 끝나?'],
      [junho, '세 시에 끝나'],
      [dahye, '그럼 끝나고 만나자'],
    ];
    const items2: string[] = [];
    for (let i = 0; i < room1.length; i++) {
      await Promise.all([typeAndSend(pageOf(room1[i][0]), room1[i][1]), typeAndSend(room2[i][0], room2[i][1])]);
      items.push(room1[i][1]);
      items2.push(room2[i][1]);
      for (const page of [yoonseok, minji]) await expectItems(page, items);
      for (const page of [dahye, junho]) await expectItems(page, items2);
    }
    await expectNoQuestion(); // 과제 again in room 1: asked there already

    // Nothing of one room in the other: not in search, questions or the calendar either.
    expect(await search(junho, { q: '과제' })).toEqual([]);
    expect(await search(yoonseok, { q: '점심' })).toEqual([]);
    expect(await answersPage(dahye)).toEqual([]);
    await expectVisibleText(dahye.locator('main'), '아직 나온 질문이 없어요.');
    for (const page of [yoonseok, junho, dahye]) await toChat(page);
    await expectItems(dahye, items2);
    await expectItems(junho, items2);
  }, 90_000);

  // ---- back to ID 1 and ID 3: the break-up that takes effect, the deletion -----------------

  it('back to ID 1 and ID 3: no deletion while paired; a break-up ends the couple after the grace, both land on /pair; then ID 1 deletes the account', async () => {
    await yoonseok.reload();
    await minji.reload();
    for (const page of [yoonseok, minji]) await expectItems(page, items);

    // 회원탈퇴 누르기: refused while paired
    await toAccount(yoonseok);
    await yoonseok.getByLabel('비밀번호', { exact: true }).fill(PASSWORD);
    await submit(yoonseok, '탈퇴하기');
    await expectFieldError(yoonseok, '비밀번호', '커플이 연결된 동안에는 탈퇴할 수 없어요. 먼저 연결을 끊어 주세요.');
    expect(new URL(yoonseok.url()).pathname).toBe('/account/delete');

    // 커넥션 끊기 누르기
    await yoonseok.getByLabel('비밀번호 (본인 확인)', { exact: true }).fill(PASSWORD);
    await submit(yoonseok, '이별 신청하기');
    await expectPath(yoonseok, '/account');
    const due = Number(await yoonseok.locator('#breakup-banner [data-breakup-due]').getAttribute('data-breakup-due'));
    expect(due - testClock.now()).toBeGreaterThan(GRACE_MS - 10_000);
    expect(due - testClock.now()).toBeLessThanOrEqual(GRACE_MS);
    await expectVisibleText(minji.locator('#breakup-banner'), 'yoonseok 님이 이별을 신청했어요.');

    // When the grace is over both phones go to the pairing page by themselves (no fixed wait:
    // the pages are watched until they get there); then a reload keeps them there.
    const waitFor = due - testClock.now() + 20_000;
    await Promise.all([expectPath(yoonseok, '/pair', waitFor), expectPath(minji, '/pair', waitFor)]);
    expect(testClock.now()).toBeGreaterThanOrEqual(due);
    const notices = await Promise.all([yoonseok, minji].map((page) => page.locator('main').innerText()));
    expect(notices.some((text) => text.includes('이별이 확정되어 커플 연결이 끊어졌어요.'))).toBe(true);
    for (const page of [yoonseok, minji]) {
      await page.reload();
      await expectPath(page, '/pair');
      await expectVisibleText(page.getByRole('heading', { level: 1 }), '커플 연결');
      await page.goto('/chat');
      await expectPath(page, '/pair');
    }
    expect(await app.db('messages').whereIn('body', items).count({ n: '*' }).first()).toMatchObject({ n: 0 });
    // the other couple's room is untouched
    await expectPath(dahye, '/chat');
    await expectPath(junho, '/chat');

    // 회원탈퇴하기: now it works
    await toAccount(yoonseok);
    await yoonseok.getByLabel('비밀번호', { exact: true }).fill(PASSWORD);
    await submit(yoonseok, '탈퇴하기');
    await expectPath(yoonseok, '/login');
    await expectVisibleText(yoonseok, '탈퇴가 완료됐어요.');
    await tryLogIn(yoonseok, 'yoonseok', PASSWORD);
    await expectVisibleText(yoonseok.getByRole('alert'), '아이디 또는 비밀번호가 맞지 않아요.');
  }, GRACE_MS + 60_000);

  // ---- "ID 3,4 커넥션 돌아가서 정상 작동 확인" ------------------------------------------------
  //
  // IDs 2 and 4 deleted their accounts early in the walk-through, and the original's last
  // steps number loosely ("다시 원래 ID 1,2 커넥션" means ID 1 and ID 3, the first couple).
  // Read as "the other connection", the last step is the second couple (dahye and junho,
  // the third and fourth account alive) still working normally after the first couple's
  // break-up and ID 1's deletion. Read literally, it is ID 3 and ID 4 connected: ID 3,
  // single again after the break-up, and ID 4, who signs up again under the ID her deletion
  // freed. Both are checked: the second couple chats on with its history intact, and
  // ID 3 and ID 4 pair and chat in a fresh room (nothing of ID 3's old couple: no messages,
  // no questions, no D-day; a question is asked again, since those were that couple's).

  it('ID 3,4 커넥션: the second couple chats on as before, and ID 3 pairs with ID 4 (signed up again) and chats normally', async () => {
    const items2 = await shownItems(dahye);
    expect(items2).toHaveLength(4);
    await typeAndSend(dahye, '아직 잘 되지?');
    items2.push('아직 잘 되지?');
    await expectItems(junho, items2); // he answers what he has seen
    await typeAndSend(junho, '응 우리는 그대로야');
    items2.push('응 우리는 그대로야');
    for (const page of [dahye, junho]) await expectItems(page, items2);
    await dahye.reload();
    await expectItems(dahye, items2);

    // ID 4 comes back under the same ID and asks ID 3, whose open /pair page shows it
    await signUp(hana, 'hana');
    await expectVisibleText(hana, '가입을 환영해요!');
    await sendPairRequest(hana, 'minji');
    await expectVisibleText(sentRequests(hana), 'minji 님의 수락을 기다리는 중');
    const received = receivedRequests(minji);
    await expect.poll(() => received.allInnerTexts(), { timeout: 10_000 }).toEqual([expect.stringContaining('hana 님이 커플 신청을 보냈어요')]);
    await received.getByRole('button', { name: '수락', exact: true }).click();
    await expectPath(minji, '/chat');
    await expectVisibleText(minji.getByRole('heading', { level: 1 }), 'hana 님과의 대화');
    await expectPath(hana, '/chat', 10_000);
    await expectVisibleText(hana.getByRole('heading', { level: 1 }), 'minji 님과의 대화');
    for (const page of [minji, hana]) {
      await expectVisibleText(page, '아직 대화가 없어요.');
      expect(await ddayText(page)).toBe('');
      expect(await page.locator('#breakup-banner').innerText()).toBe('');
    }

    const room: string[] = [];
    for (const [page, text] of [
      [minji, '안녕 하나야 오랜만이야'],
      [hana, '반가워 이제 우리 둘이네'],
    ] as const) {
      await typeAndSend(page, text);
      room.push(text);
      for (const p of [minji, hana]) await expectItems(p, room);
    }
    // a question of the old couple is asked again in the new one
    const line = '나는 운동갔다가 저녁 먹고 쉬려고!';
    await typeAndSend(minji, line);
    room.push(line);
    for (const page of [minji, hana]) {
      await expectItems(page, room);
      await expectQuestionAsked(page, EXERCISE);
    }
    expect(await answerWithKeyboard(minji, '요즘은 필라테스 다녀')).toBe(200);
    await expectPartnerAnswered(hana);
    expect(await answerWithKeyboard(hana, '나도 같이 다니고 싶어')).toBe(200);
    const minjiSays = { who: 'minji', body: '요즘은 필라테스 다녀' };
    const hanaSays = { who: 'hana', body: '나도 같이 다니고 싶어' };
    for (const [page, mine, theirs] of [[minji, minjiSays, hanaSays], [hana, hanaSays, minjiSays]] as const) {
      expect(await expectRevealed(page, EXERCISE)).toEqual([{ ...mine, who: '나' }, theirs]);
    }
    await typeAndSend(hana, '정상 작동 확인!');
    room.push('정상 작동 확인!');
    for (const page of [minji, hana]) await expectItems(page, room);
    expect(await answersPage(hana)).toEqual([[EXERCISE, [['나', '나도 같이 다니고 싶어'], ['minji', '요즘은 필라테스 다녀']]]]);
    // and the second couple never saw any of it
    expect(await shownItems(junho)).toEqual(items2);
  }, 60_000);
});
