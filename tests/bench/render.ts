import type { AppProcess } from './appProcess';
import { ChatPage } from './browserClient';
import { cpuSample, cpuShare, type CpuShare } from './machine';
import { COMMON_WORD, RARE_WORD, type SeededCouple } from './seed';
import { summarize, type Summary } from './stats';

export interface PageTiming {
  name: string;
  path: string;
  /** what one answer showed, to see the page was the real one */
  shown: string;
  timing: Summary;
  errors: number;
  cpu: CpuShare;
}

export interface RenderOptions {
  chatRequests: number;
  searchRequests: number;
  localDbServer: boolean;
}

const WARM_UP = 10;
const count = (text: string, needle: string) => text.split(needle).length - 1;

/** Sequential GETs (one user, one tab, a browser's navigation headers: compressed), timed from request to last byte on the client. */
export async function timePage(
  app: AppProcess,
  couple: SeededCouple,
  options: RenderOptions,
  page: { name: string; path: string; requests: number; shown: (html: string) => string },
): Promise<PageTiming> {
  const { name, path, requests, shown } = page;
  const tab = new ChatPage(app, couple.a);
  let cpuFrom = cpuSample(app.pid, options.localDbServer);
  const samples: number[] = [];
  let errors = 0;
  let seen = '';
  try {
    for (let i = 0; i < WARM_UP + requests; i++) {
      const answer = await tab.navigate(path);
      if (answer.status !== 200) {
        errors++;
        seen ||= `status ${answer.status}`;
        continue;
      }
      if (i === 0) seen = shown(answer.text());
      if (i === WARM_UP - 1) cpuFrom = cpuSample(app.pid, options.localDbServer);
      if (i >= WARM_UP) samples.push(answer.elapsed);
    }
  } finally {
    tab.close();
  }
  return { name, path, shown: seen, timing: summarize(samples), errors, cpu: cpuShare(cpuFrom, cpuSample(app.pid, options.localDbServer)) };
}

export async function measureRender(app: AppProcess, couple: SeededCouple, options: RenderOptions): Promise<PageTiming[]> {
  const messages = (html: string) => `${count(html, 'class="msg ')} messages`;
  const results = (html: string) => `${count(html, 'class="result"')} results${html.includes('id="more-results"') ? ' + more' : ''}`;
  const search = (word: string) => `/chat/search?q=${encodeURIComponent(word)}`;
  return [
    await timePage(app, couple, options, { name: 'GET /chat', path: '/chat', requests: options.chatRequests, shown: messages }),
    await timePage(app, couple, options, { name: 'search, common word (1 in 16)', path: search(COMMON_WORD), requests: options.searchRequests, shown: results }),
    await timePage(app, couple, options, { name: 'search, rare word (whole history)', path: search(RARE_WORD), requests: options.searchRequests, shown: results }),
  ];
}
