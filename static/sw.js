// The service worker, served at /sw.js so that its scope is the whole site (no-cache: a new
// version is picked up at once). It shows the notifications the server pushes (Web Push,
// encrypted by the server for this browser) and brings the chat up when one is tapped.
// Plain ES2015, like the rest of static/.
'use strict';

// ---- caching: this build's static files (scripts, styles, icons) and the offline page,
// nothing else: never a chat page, never /files/, never anything behind a log-in. /sw.js
// writes SHELL (the hashed URLs) and SHELL_VERSION in front of this file.
var CACHE = typeof SHELL_VERSION === 'string' ? 'cc-shell-' + SHELL_VERSION : null;
var OFFLINE = '/offline';

self.addEventListener('install', function (event) {
  if (!CACHE) return;
  // the offline page without cookies: as an anonymous visitor sees it, no name, no token
  var offline = new Request(OFFLINE, { credentials: 'omit' });
  event.waitUntil(caches.open(CACHE).then(function (cache) {
    return cache.addAll(SHELL.concat([offline]));
  }).then(function () { return self.skipWaiting(); }));
});

self.addEventListener('activate', function (event) {
  event.waitUntil(caches.keys().then(function (keys) {
    return Promise.all(keys.filter(function (key) {
      return key.indexOf('cc-shell-') === 0 && key !== CACHE;
    }).map(function (key) { return caches.delete(key); }));
  }).then(function () { return self.clients.claim(); }));
});

self.addEventListener('fetch', function (event) {
  var request = event.request;
  if (!CACHE || request.method !== 'GET') return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.indexOf('/static/') === 0) {
    // hashed names never change: the cache first, the network for anything not kept
    event.respondWith(caches.match(request).then(function (hit) { return hit || fetch(request); }));
  } else if (request.mode === 'navigate') {
    // pages always come from the network and are never stored; without one, the offline page
    event.respondWith(fetch(request).catch(function () {
      return caches.match(OFFLINE).then(function (page) { return page || Response.error(); });
    }));
  }
});

var CHAT = '/chat';

/** A path on this site to open, whatever the payload says. */
function sameOrigin(raw) {
  try {
    var url = new URL(raw || CHAT, self.location.origin);
    if (url.origin === self.location.origin) return url.href;
  } catch (e) { /* below */ }
  return new URL(CHAT, self.location.origin).href;
}

/**
 * Whether the person is looking at the chat right now: a window of this site on /chat, in
 * front. The server pushes whatever pages are open (it cannot know which are seen); the
 * chat in a background tab, or any other page, still gets the notification. Chromium lets
 * a push go without one while a page of the site is visible.
 */
function chatInFront() {
  return self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then(function (windows) {
    for (var i = 0; i < windows.length; i++) {
      if (windows[i].visibilityState === 'visible' && new URL(windows[i].url).pathname === CHAT) return true;
    }
    return false;
  }, function () { return false; });
}

// The payload is JSON {title, body, url, tag} (src/push/payload.ts). The tag makes a newer
// message replace the notification of the one before; renotify still rings for it.
self.addEventListener('push', function (event) {
  var data = {};
  if (event.data) {
    try {
      data = event.data.json();
    } catch (e) {
      data = { body: event.data.text() };
    }
  }
  var tag = typeof data.tag === 'string' && data.tag ? data.tag : 'chat';
  event.waitUntil(chatInFront().then(function (seen) {
    if (seen) return undefined;
    return self.registration.showNotification(typeof data.title === 'string' && data.title ? data.title : '커플챗', {
      body: typeof data.body === 'string' ? data.body : '',
      icon: '/static/icons/icon-192.png',
      tag: tag,
      renotify: true,
      data: { url: sameOrigin(data.url) }
    });
  }));
});

// A tap focuses an open chat if there is one, else opens the chat.
self.addEventListener('notificationclick', function (event) {
  event.notification.close();
  var target = sameOrigin(event.notification.data && event.notification.data.url);
  event.waitUntil(self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then(function (windows) {
    for (var i = 0; i < windows.length; i++) {
      if (new URL(windows[i].url).pathname === CHAT && 'focus' in windows[i]) return windows[i].focus();
    }
    return self.clients.openWindow ? self.clients.openWindow(target) : undefined;
  }));
});

// ---- a subscription the push service replaced (its keys expired, or it was revoked).
// Without this, notifications would stop until the next visit, when push.js posts the
// browser's subscription again. GET /push/key answers (for a logged-in browser only) with
// the server's key and, in a header, the CSRF token a worker has no page to read it from.
function postForm(path, csrf, fields) {
  var body = Object.keys(fields).map(function (k) {
    return encodeURIComponent(k) + '=' + encodeURIComponent(fields[k]);
  }).join('&');
  return fetch(path, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-CSRF-Token': csrf, 'HX-Request': 'true' },
    body: body
  });
}

/** Posts the new subscription (subscribing again when the browser gave none) and lets the old one go. */
function renewSubscription(oldSubscription, newSubscription) {
  return fetch('/push/key', { credentials: 'same-origin', redirect: 'error' }).then(function (res) {
    if (!res.ok) return null; // logged out on this browser: nothing to renew
    var csrf = res.headers.get('X-CSRF-Token') || '';
    return res.text().then(function (key) {
      return newSubscription || self.registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
    }).then(function (subscription) {
      var json = subscription.toJSON();
      return postForm('/push/subscriptions', csrf, { endpoint: json.endpoint, p256dh: json.keys.p256dh, auth: json.keys.auth }).then(function () {
        if (oldSubscription && oldSubscription.endpoint !== json.endpoint) {
          return postForm('/push/subscriptions/delete', csrf, { endpoint: oldSubscription.endpoint });
        }
      });
    });
  }).catch(function () { /* the next visit posts it (push.js) */ });
}

self.addEventListener('pushsubscriptionchange', function (event) {
  event.waitUntil(renewSubscription(event.oldSubscription, event.newSubscription));
});
