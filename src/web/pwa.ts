import Router from '@koa/router';
import { staticAssets } from './assets';

/** What makes the app installable on a phone: its manifest (in the visitor's language) and the page shown offline. */
export const pwaRoutes = new Router();

pwaRoutes.get('/manifest.webmanifest', (ctx) => {
  const { t, lang } = ctx.state;
  const assets = staticAssets();
  ctx.type = 'application/manifest+json';
  ctx.set('Cache-Control', 'public, max-age=3600');
  ctx.body = JSON.stringify({
    name: t('app.name'),
    short_name: t('app.name'),
    description: t('app.tagline'),
    lang,
    id: '/',
    start_url: '/',
    scope: '/',
    display: 'standalone',
    orientation: 'portrait',
    background_color: '#fdf6f8',
    theme_color: '#fdf6f8',
    icons: [
      { src: assets.url('icon.svg'), sizes: 'any', type: 'image/svg+xml' },
      { src: assets.url('icons/icon-192.png'), sizes: '192x192', type: 'image/png' },
      { src: assets.url('icons/icon-512.png'), sizes: '512x512', type: 'image/png' },
      { src: assets.url('icons/maskable-512.png'), sizes: '512x512', type: 'image/png', purpose: 'maskable' },
    ],
  });
});

/** Kept by the service worker and shown when a page can't be reached. */
pwaRoutes.get('/offline', (ctx) => {
  ctx.render('offline', { title: ctx.state.t('offline.title') });
});
