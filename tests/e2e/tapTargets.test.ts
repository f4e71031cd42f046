// Every control a finger has to hit is at least 44×44 CSS pixels, on a 360 px and a 320 px
// phone, on every page: the pages before logging in, the pairing page of someone single,
// and every page of a couple three days in (a chat with a photo and a file, search
// results, answers, a ranking with a word left out, a calendar with plans and a D-day,
// the account page with its notification checkbox, a message's menu open and the page that
// asks before deleting, the "삭제했어요 · 되돌리기" notices), then again with a break-up pending
// (its banner on every page). A control may look smaller than it answers to: what counts
// is the area a tap lands on it (its box, or an overlay such as ::before that widens it,
// tried with elementFromPoint). No page scrolls sideways.
import type { Page } from 'playwright-core';
import { beforeAll, expect, it } from 'vitest';
import { browserSuite, describeBrowser, logIn, touchPhone } from '../support/browser';
import { startBreakup } from '../support/breakup';
import { DEMO, seedDemo, seedSingles, type Demo } from '../support/demo';

const SLOW = 300_000;
const MIN = 44;

/**
 * Controls allowed to be smaller, each with its reason (WCAG 2.5.8's exception for a link
 * inside a sentence). Kept empty on purpose: every control here can be made big enough.
 */
const EXEMPT: Array<{ selector: string; why: string }> = [];

const WIDTHS = [
  { width: 360, height: 740 },
  { width: 320, height: 568 },
] as const;

const phoneOf = touchPhone;

/**
 * The page's controls smaller than 44×44 where a tap lands, described as
 * `tag#id.class "text" W×H`, and whether the page is wider than the screen.
 */
function smallTargets(page: Page): Promise<{ small: string[]; sideways: number }> {
  return page.evaluate(
    ({ min, exempt }) => {
      const SELECTOR = 'a[href], button, input:not([type="hidden"]), select, textarea, summary, [role="button"], label';
      const visuallyHidden = (el: Element) => {
        const r = el.getBoundingClientRect();
        const s = getComputedStyle(el);
        return r.width <= 1 || r.height <= 1 || s.visibility !== 'visible' || Number(s.opacity) === 0 || s.clipPath === 'inset(50%)';
      };
      const checkable = (el: Element | null): el is HTMLInputElement => el instanceof HTMLInputElement && (el.type === 'checkbox' || el.type === 'radio');
      /** What a tap has to hit for this element to act, or null when it is no target of its own. */
      const targetOf = (el: Element): Element | null => {
        if (el instanceof HTMLLabelElement) {
          const control = el.control;
          // a label is a target when it wraps a checkbox, or stands in for a control that is hidden (the upload button)
          if (checkable(control) && el.contains(control)) return el;
          if (control && visuallyHidden(control)) return el;
          return null;
        }
        // a checkbox inside its label is hit through the label
        if (checkable(el) && el.closest('label')) return null;
        return el;
      };
      const describe = (el: Element, w: number, h: number) => {
        const id = el.id ? `#${el.id}` : '';
        const cls = el.getAttribute('class') ? `.${el.getAttribute('class')!.trim().split(/\s+/).join('.')}` : '';
        const text = (el.textContent ?? '').trim().replace(/\s+/g, ' ').slice(0, 24) || el.getAttribute('aria-label') || el.getAttribute('title') || '';
        return `${el.tagName.toLowerCase()}${id}${cls} "${text}" ${Math.round(w)}×${Math.round(h)}`;
      };
      /** A tap anywhere in the 44×44 square around the element's centre lands on it. */
      const hitAreaBigEnough = (el: Element) => {
        el.scrollIntoView({ block: 'center', inline: 'center' });
        const r = el.getBoundingClientRect();
        const [cx, cy] = [r.left + r.width / 2, r.top + r.height / 2];
        const d = min / 2 - 0.5;
        for (const dx of [-d, 0, d]) {
          for (const dy of [-d, 0, d]) {
            const [x, y] = [cx + dx, cy + dy];
            if (x < 0 || y < 0 || x >= innerWidth || y >= innerHeight) return false;
            const hit = document.elementFromPoint(x, y);
            if (!hit || !(hit === el || el.contains(hit))) return false;
          }
        }
        return true;
      };
      const small: string[] = [];
      const seen = new Set<Element>();
      for (const el of Array.from(document.querySelectorAll(SELECTOR))) {
        const target = targetOf(el);
        if (!target || seen.has(target) || visuallyHidden(target)) continue;
        seen.add(target);
        if (exempt.some((selector) => target.matches(selector))) continue;
        const r = target.getBoundingClientRect();
        if (r.width >= min - 0.5 && r.height >= min - 0.5) continue;
        if (!hitAreaBigEnough(target)) small.push(describe(target, r.width, r.height));
      }
      scrollTo(0, 0);
      return { small, sideways: document.documentElement.scrollWidth - document.documentElement.clientWidth };
    },
    { min: MIN, exempt: EXEMPT.map((e) => e.selector) },
  );
}

/** Opens `path` and adds what is too small there to `found`, under the page's name. */
async function check(page: Page, path: string, found: string[], prepare?: (page: Page) => Promise<void>, label = path): Promise<void> {
  await page.goto(path);
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  if (prepare) await prepare(page);
  const { small, sideways } = await smallTargets(page);
  const width = page.viewportSize()!.width;
  for (const s of small) found.push(`${width}px ${label}: ${s}`);
  if (sideways > 0) found.push(`${width}px ${label}: scrolls ${sideways}px sideways`);
}

/** Every plan's actions open at once (they show on a tap on the plan). */
const openPlans = async (page: Page) => {
  await page.locator('.cal-plan summary').first().waitFor();
  await page.evaluate(() => document.querySelectorAll('.cal-plan details').forEach((d) => ((d as HTMLDetailsElement).open = true)));
};

/** The menu of my newest message open (its items drop below it, over what is there). */
const openMenu = async (page: Page) => {
  const menu = page.locator('.msg-menu:visible').last();
  await menu.locator('summary').click();
  await menu.locator('.msg-menu-items button').first().waitFor();
};

/** `act` leaves a "삭제했어요 · 되돌리기" notice on the page (it is measured), and 되돌리기 then puts things back. */
async function checkUndo(page: Page, path: string, found: string[], act: (page: Page) => Promise<void>, label: string): Promise<void> {
  await check(page, path, found, async (p) => {
    await act(p);
    await p.locator('.undo-notice').waitFor();
  }, label);
  await page.locator('.undo-notice button').click();
  await page.locator('.undo-notice').waitFor({ state: 'detached' });
}

describeBrowser('tap targets on a phone', () => {
  const suite = browserSuite();
  let demo: Demo;

  beforeAll(async () => {
    demo = await seedDemo(suite.app.url, suite.app.db);
    await seedSingles(suite.app.url);
    await demo.haeun.get('/rank');
    expect((await demo.haeun.post('/rank/excluded', { word: '파스타', n: '5' })).status).toBe(303);
    // links in a message (and in its search result): a long address that wraps, and one glued to Korean
    await demo.jiho.get('/chat');
    expect((await demo.jiho.post('/chat/messages', { body: '주말에 여기 어때? https://map.naver.com/p/search/%EC%84%B1%EC%88%98%EB%8F%99%20%ED%8C%8C%EC%8A%A4%ED%83%80 https://naver.com에서 찾았어', client_id: 'tap-targets-link-1' })).status).toBe(303);
    // a reply (its quote is a link) with a reaction under it
    const newest = (await suite.app.db('messages').where({ couple_id: demo.coupleId }).orderBy('id', 'desc').first('id'))!;
    await demo.jiho.get('/chat');
    expect((await demo.jiho.post('/chat/messages', { body: '응 좋아', client_id: 'tap-reply-0001', reply_to: String(newest.id) })).status).toBe(303);
    expect((await demo.jiho.post(`/chat/messages/${newest.id}/reactions`, { emoji: '❤️' })).status).toBe(303);
  });

  const couplePages = (page: Page, found: string[], tag = '') =>
    (async () => {
      await check(page, '/chat', found, async (p) => void (await p.locator('#messages .msg .photo img').first().waitFor()), `/chat${tag}`);
      await check(page, '/chat', found, openMenu, `/chat${tag} (a message menu open)`);
      // 삭제 is on my own messages only (the partner's menus have 답장 and the reactions)
      const confirm = await page.locator('.msg-menu form.delete').evaluateAll((forms) => forms.filter((f) => getComputedStyle(f).display !== 'none').pop()?.getAttribute('action') ?? null);
      await check(page, confirm!, found, undefined, `/chat/messages/:id/delete${tag}`);
      await check(page, '/chat/search?q=' + encodeURIComponent('주말'), found, undefined, `/chat/search${tag}`);
      await check(page, '/answers', found, undefined, `/answers${tag}`);
      await check(page, '/rank', found, undefined, `/rank${tag}`);
      await check(page, '/calendar', found, undefined, `/calendar${tag}`);
      await check(page, '/calendar', found, openPlans, `/calendar${tag} (plans open)`);
      await check(page, '/account', found, undefined, `/account${tag}`);
      await check(page, '/couple', found, undefined, `/couple${tag}`);
      await check(page, '/album', found, undefined, `/album${tag}`);
      await check(page, '/album', found, async (p) => {
        await p.locator('#album-grid a.album-tile').first().click();
        await p.locator('#album-preview[open]').waitFor();
        await p.evaluate(() => Promise.all(document.getAnimations().map((a) => a.finished))); // it pops in from 97 %
      }, `/album${tag} (preview open)`);
      const one = await page.locator('#album-grid a.album-tile').first().getAttribute('href');
      await check(page, one!, found, undefined, `/album?at=${tag}`);
      const putBack = page.getByRole('button', { name: '‘파스타’ 다시 순위에 넣기', exact: true });
      await checkUndo(page, '/rank', found, () => putBack.click(), `/rank${tag} (되돌리기)`);
      await checkUndo(page, '/calendar', found, async (p) => {
        const plan = p.locator('.cal-plan').first();
        await plan.locator('summary').click();
        await plan.getByRole('button', { name: '삭제', exact: true }).click();
      }, `/calendar${tag} (되돌리기)`);
    })();

  it.each(WIDTHS.map((v) => [v.width, v] as const))('every control on every page is at least 44×44 at %i px wide', { timeout: SLOW }, async (_, viewport) => {
    const found: string[] = [];
    const { page } = await suite.open(phoneOf(viewport));
    await check(page, '/login', found);
    await check(page, '/signup', found);

    await logIn(page, 'sora');
    await check(page, '/pair', found, async (p) => void (await p.locator('.request').first().waitFor()));
    await page.context().clearCookies();

    await logIn(page, DEMO.a, undefined, '/chat');
    await couplePages(page, found);
    expect(found).toEqual([]);
  });

  it.each(WIDTHS.map((v) => [v.width, v] as const))('and with a break-up pending, its banner’s buttons too, at %i px wide', { timeout: SLOW }, async (_, viewport) => {
    if (!(await suite.app.db('couples').where({ id: demo.coupleId }).first('breakup_due_at'))?.breakup_due_at) {
      expect((await startBreakup(demo.jiho)).status).toBe(303);
    }
    const found: string[] = [];
    const { page } = await suite.open(phoneOf(viewport));
    await logIn(page, DEMO.a, undefined, '/chat');
    await page.locator('#breakup-banner .breakup-actions').waitFor();
    await couplePages(page, found, ' (break-up pending)');
    expect(found).toEqual([]);
  });
});
