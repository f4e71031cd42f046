import { bodyParser } from '@koa/bodyparser';
import Router from '@koa/router';
import Koa from 'koa';
import type Keygrip from 'keygrip';
import compress from 'koa-compress';
import zlib from 'node:zlib';
import { accountRoutes } from './accounts/accountRoutes';
import { authRoutes } from './accounts/authRoutes';
import { calendarEventRenderer } from './calendar/eventRenderer';
import { calendarRoutes } from './calendar/routes';
import { chatEventRenderer } from './chat/eventRenderer';
import { exportRoutes } from './chat/exportRoutes';
import { albumRoutes } from './album/routes';
import { chatRoutes } from './chat/routes';
import { chatStream } from './chat/stream';
import { searchRoutes } from './chat/searchRoutes';
import { reactionRoutes } from './chat/reactionRoutes';
import { breakupEventRenderer, profileEventRenderer } from './couple/eventRenderer';
import { breakupOnRequest } from './couple/middleware';
import { unreadOnPages } from './chat/unread';
import { coupleRoutes } from './couple/routes';
import { profileRoutes } from './couple/profileRoutes';
import { RateCounters } from './limits/counters';
import { DEFAULT_RATE_LIMITS } from './limits/rules';
import { createBroker } from './realtime/broker';
import { createStorage } from './files/storage';
import { fileRoutes } from './files/routes';
import { uploadRoutes } from './chat/uploadRoutes';
import { CoupleChanges } from './realtime/coupleChanges';
import { combineRenderers, Hub } from './realtime/hub';
import { announceUncertainWrites } from './realtime/uncertainWrites';
import { pairingRoutes } from './pairing/routes';
import { Notifier, notifyAfterResponse } from './push/notify';
import { pushRoutes } from './push/routes';
import { PushSender } from './push/sender';
import { questionEventRenderer } from './questions/eventRenderer';
import { advanceQuestions } from './questions/questionsState';
import { questionRoutes } from './questions/routes';
import { rankRoutes } from './ranking/routes';
import { userDirectory } from './accounts/requestUsers';
import { loadUser } from './web/auth';
import type { AppDeps } from './appContext';
import { cookieKeys } from './web/cookieKeys';
import { csrf, csrfToken } from './web/csrf';
import { compressSmall, COMPRESS_FROM } from './web/compressSmall';
import { errorPages } from './web/errorPages';
import { AppError } from './web/errors';
import { healthRoutes, homeRoutes } from './web/home';
import { pwaRoutes } from './web/pwa';
import { i18n } from './web/i18n';
import { createViews, rendering } from './web/render';
import { httpsOnly, securityHeaders } from './web/security';
import { sessionMiddleware, sessionStore } from './web/session';
import { serviceWorker, staticFiles } from './web/static';

/** Every router; healthRoutes is mounted ahead of the session, the others after it. */
export const routers: Router[] = [healthRoutes, homeRoutes, pwaRoutes, authRoutes, accountRoutes, pairingRoutes, chatRoutes, reactionRoutes, searchRoutes, uploadRoutes, fileRoutes, questionRoutes, rankRoutes, calendarRoutes, coupleRoutes, profileRoutes, exportRoutes, pushRoutes, albumRoutes];

export function createApp(deps: AppDeps): Koa {
  const { config } = deps;
  const app = new Koa({ proxy: config.production, maxIpsCount: config.production ? 1 : 0 });
  app.keys = cookieKeys(config.sessionKeys) as unknown as Keygrip; // keygrip's signatures, compared more cheaply
  app.context.deps = deps;
  const views = createViews();
  const rateLimits = { ...DEFAULT_RATE_LIMITS, ...config.rateLimits };
  const [chat, questions] = [chatEventRenderer(deps.db, views), questionEventRenderer(deps.db, views)];
  const renderers = combineRenderers({
    message: chat,
    deleted: chat,
    read: chat,
    reaction: chat,
    question: questions,
    answered: questions,
    revealed: questions,
    calendar: calendarEventRenderer(deps.db, views, deps.clock),
    breakup: breakupEventRenderer(deps.db, views, deps.clock),
    profile: profileEventRenderer(deps.db, views, deps.clock),
  });
  const hub = new Hub(deps.db, createBroker(config.redisUrl, deps.clock, config.redisPrefix), renderers, rateLimits.streamsPerUser);
  app.context.hub = hub;
  app.context.changes = new CoupleChanges(deps.db, deps.clock, hub);
  app.context.changes.onCommit(advanceQuestions(deps.db));
  app.context.storage = createStorage(config.storage, deps.db, deps.clock);
  app.context.push = new Notifier(deps.db, new PushSender(config.vapid, config.production, deps.pushNetwork), deps.clock);
  app.context.rateLimits = rateLimits;
  app.context.rateStore = new RateCounters({ redisUrl: config.redisUrl, prefix: config.redisPrefix ?? 'couple-chat', db: deps.db, clock: deps.clock });
  app.context.ready = hub.start();
  app.on('error', (err, ctx) => {
    const e = err as { status?: number; code?: string; message?: string };
    if (e.status && e.status < 500) return;
    // a client that went away mid-request: nothing of ours is wrong
    if (['ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ERR_STREAM_PREMATURE_CLOSE'].includes(e.code ?? '') || e.code?.startsWith('HPE_') || e.message === 'aborted') return;
    console.error(`error on ${ctx?.method} ${ctx?.path}:`, err);
  });

  app.use(securityHeaders(config.production));
  // pages only: static files come compressed already, files and streams must pass untouched
  app.use(compress({ filter: (type) => type.startsWith('text/html'), threshold: COMPRESS_FROM, deflate: false, br: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } } }));
  app.use(compressSmall()); // the common case: a page or fragment in memory, compressed in line
  app.use(i18n()); // from cookie / Accept-Language, so even a failed request gets its language; loadUser applies the user's own
  app.use(rendering(views));
  app.use(errorPages());
  app.use(httpsOnly(config.production));
  app.use(staticFiles());
  app.use(serviceWorker());
  const sessions = sessionStore(deps.db, deps.clock, userDirectory(deps.db));
  app.use(chatStream(sessions));
  mount(app, healthRoutes);
  app.use(csrfToken(config.production));
  app.use(bodyParser({ enableTypes: ['form'], formLimit: '64kb', encoding: 'utf-8' }));
  app.use(sessionMiddleware(app, sessions, config.production));
  app.use(loadUser(userDirectory(deps.db)));
  app.use(announceUncertainWrites());
  app.use(notifyAfterResponse()); // the partner hears of what a request sent, once it is answered
  app.use(breakupOnRequest()); // a due break-up takes effect; a pending one shows its banner
  app.use(unreadOnPages()); // a couple's page shows the partner's unread messages on its 채팅 tab
  app.use(csrf(config.production));

  for (const router of routers) if (router !== healthRoutes) mount(app, router);
  return app;
}

function mount(app: Koa, router: Router) {
  const notAllowed = () => new AppError(405, 'error.method');
  app.use(router.routes());
  app.use(router.allowedMethods({ throw: true, methodNotAllowed: notAllowed, notImplemented: notAllowed }));
}
