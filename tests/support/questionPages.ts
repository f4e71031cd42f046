// The question both partners answer, as a person sees it on the chat page in real
// Chromium: a card just above the composer (never a modal, never taking the keyboard)
// whose answer box the composer's 질문에 먼저 답하기 leads to while I still owe an answer,
// a waiting note once I answered; once we both did, both answers side by side in a compact
// card of the conversation. Shared by
// the e2e files that chat.
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { SEE_TIMEOUT } from './browser';

/** The question card in the chat's question slot. */
export const questionCard = (page: Page): Locator => page.locator('#question-slot dialog.question-card');

export interface CardState {
  /** the dialog is shown at all */
  open: boolean;
  /** shown as a modal (the rest of the page inert behind it) */
  modal: boolean;
  kicker: string;
  text: string;
  /** the answer form is visible (not hidden because I answered) */
  formVisible: boolean;
  /** "내 답을 저장했어요 …" is visible */
  waitingVisible: boolean;
  revealed: boolean;
  /** the sides ('a', 'b') the card says have answered, as the page got it last */
  answered: string;
  /** the answer box's current text, and whether it has the keyboard focus */
  answerValue: string | null;
  answerFocused: boolean;
  /** once revealed: each answer's label as shown (나, or the partner's ID) and text, left to right, with where each sits */
  answers: Array<{ who: string; body: string; left: number; top: number; right: number }>;
  /** the composer shows 질문에 먼저 답하기 instead of its send button */
  composerOwes: boolean;
}

/** The card as the user sees it now, or null when the page has none. */
export function cardState(page: Page): Promise<CardState | null> {
  return page.evaluate(() => {
    const dialog = document.querySelector<HTMLDialogElement>('#question-slot dialog.question-card');
    if (!dialog) return null;
    const shown = (el: Element | null) => el !== null && el.checkVisibility({ visibilityProperty: true });
    const box = dialog.querySelector<HTMLTextAreaElement>('textarea[name="answer"]');
    return {
      open: dialog.open && shown(dialog),
      modal: dialog.matches(':modal'),
      kicker: dialog.querySelector<HTMLElement>('.question-kicker')?.innerText.trim() ?? '',
      text: dialog.querySelector<HTMLElement>('.question-text')?.innerText.trim() ?? '',
      formVisible: shown(dialog.querySelector('.answer-form')),
      waitingVisible: shown(dialog.querySelector('.question-waiting')),
      revealed: dialog.getAttribute('data-revealed') === 'true',
      answered: dialog.getAttribute('data-answered') ?? '',
      answerValue: box ? box.value : null,
      answerFocused: box !== null && document.activeElement === box,
      composerOwes: shown(document.querySelector('#composer .answer-first')) && !shown(document.querySelector('#composer .send')),
      answers: Array.from(dialog.querySelectorAll<HTMLElement>('.answer-pair .answer')).map((el) => {
        const r = el.getBoundingClientRect();
        return {
          who: el.querySelector<HTMLElement>('dt')?.innerText.trim() ?? '',
          body: el.querySelector<HTMLElement>('dd')?.innerText.trim() ?? '',
          left: r.left,
          top: r.top,
          right: r.right,
        };
      }).sort((x, y) => x.left - y.left),
    };
  });
}

/**
 * Waits until the question shows above the composer with my answer box, and the composer's
 * button leads to it; the keyboard was not taken (the answer box does not have the focus).
 */
export async function expectQuestionAsked(page: Page, text: string, timeout = SEE_TIMEOUT): Promise<void> {
  await expect
    .poll(async () => {
      const s = await cardState(page);
      return s && { open: s.open, modal: s.modal, text: s.text, formVisible: s.formVisible, answerFocused: s.answerFocused, composerOwes: s.composerOwes };
    }, { timeout })
    .toEqual({ open: true, modal: false, text, formVisible: true, answerFocused: false, composerOwes: true });
}

/** Waits until I have answered and the card says it waits for my partner (no modal, no form). */
export async function expectWaitingNote(page: Page, text: string, timeout = SEE_TIMEOUT): Promise<void> {
  await expect
    .poll(async () => {
      const s = await cardState(page);
      return s && { open: s.open, modal: s.modal, text: s.text, formVisible: s.formVisible, waitingVisible: s.waitingVisible };
    }, { timeout })
    .toEqual({ open: true, modal: false, text, formVisible: false, waitingVisible: true });
}

/** A revealed pair of answers as it shows in the conversation. */
export interface RevealedState {
  id: string;
  kicker: string;
  text: string;
  /** each answer's label as shown (나, or the partner's ID) and text, left to right then top to bottom, with where each sits */
  answers: Array<{ who: string; body: string; left: number; top: number; right: number }>;
  /** where the card sits among the conversation's messages and cards: ids (m-1, qa-1) top to bottom */
  order: string[];
  /** how many cards of this question the page holds */
  copies: number;
  /** the card's height, and whether the history can show it whole */
  height: number;
}

/** The revealed card of the question with this text in the conversation, or null. */
export function revealedState(page: Page, text: string): Promise<RevealedState | null> {
  return page.evaluate((text) => {
    const cards = Array.from(document.querySelectorAll<HTMLElement>('#messages > li.qa-card')).filter((c) => c.querySelector<HTMLElement>('.question-text')?.innerText.trim() === text);
    const card = cards[0];
    if (!card) return null;
    return {
      id: card.id,
      kicker: card.querySelector<HTMLElement>('.question-kicker')?.innerText.trim() ?? '',
      text,
      answers: Array.from(card.querySelectorAll<HTMLElement>('.answer-pair .answer')).map((el) => {
        const r = el.getBoundingClientRect();
        return { who: el.querySelector<HTMLElement>('dt')?.innerText.trim() ?? '', body: el.querySelector<HTMLElement>('dd')?.innerText.trim() ?? '', left: r.left, top: r.top, right: r.right };
      }).sort((x, y) => x.top - y.top || x.left - y.left),
      order: Array.from(document.querySelectorAll('#messages > li.msg[id], #messages > li.qa-card')).map((el) => el.id),
      copies: cards.length,
      height: card.getBoundingClientRect().height,
    };
  }, text);
}

/**
 * Waits until the conversation shows the question's pair of answers, once, as a compact card
 * of the history (no slot above the composer any more); returns them as read: mine (labelled
 * 나) first, then my partner's, side by side on a phone 360 px wide or more.
 */
export async function expectRevealed(page: Page, text: string, timeout = SEE_TIMEOUT): Promise<Array<{ who: string; body: string }>> {
  await expect
    .poll(async () => {
      const s = await revealedState(page, text);
      return s && { kicker: s.kicker, count: s.answers.length, copies: s.copies, slotEmpty: await cardState(page).then((c) => c === null || c.text !== text) };
    }, { timeout })
    .toEqual({ kicker: '둘 다 답했어요!', count: 2, copies: 1, slotEmpty: true });
  const { answers } = (await revealedState(page, text))!;
  if ((page.viewportSize()?.width ?? 0) > 360) {
    expect(Math.abs(answers[0].top - answers[1].top), 'both answers on one row').toBeLessThan(2);
    expect(answers[0].right, 'one beside the other').toBeLessThanOrEqual(answers[1].left + 1);
  }
  return answers.map(({ who, body }) => ({ who, body }));
}

/** Waits until my card says my partner has answered, before I answer too (their answer's card can't arrive mid-answer). */
export async function expectPartnerAnswered(page: Page, timeout = SEE_TIMEOUT): Promise<void> {
  await expect.poll(async () => (await cardState(page))?.answered.split(' ').filter(Boolean).length ?? 0, { timeout }).toBe(1);
}

/**
 * Answers with the keyboard only, from the composer (where the keyboard is while chatting):
 * Tab to the composer's 질문에 먼저 답하기 and Enter (on a touch phone Enter in the box is a
 * new line) put it in the answer box; types the answer, Tabs to 답하기 and presses Enter;
 * waits for the server's reply to the answer.
 */
export async function answerWithKeyboard(page: Page, answer: string): Promise<number> {
  const state = await cardState(page);
  if (!state?.answerFocused) {
    await page.locator('#body').focus();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.classList.contains('answer-first')), 'Tab from the composer reaches 질문에 먼저 답하기').toBe(true);
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await cardState(page))?.answerFocused, { timeout: SEE_TIMEOUT }).toBe(true);
  }
  await page.keyboard.type(answer);
  for (let i = 0; i < 6; i++) {
    await page.keyboard.press('Tab');
    const onSubmit = await page.evaluate(() => {
      const el = document.activeElement;
      return el instanceof HTMLButtonElement && el.type === 'submit' && el.closest('.answer-form') !== null;
    });
    if (onSubmit) break;
  }
  expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('답하기');
  const replied = page.waitForResponse((r) => r.request().method() === 'POST' && /^\/questions\/\d+\/answer$/.test(new URL(r.url()).pathname));
  await page.keyboard.press('Enter');
  return (await replied).status();
}
