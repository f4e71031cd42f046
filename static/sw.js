// The service worker, served at /sw.js so that its scope is the whole site (no-cache: a new
// version is picked up at once). It shows the notifications the server pushes (Web Push,
// encrypted by the server for this browser) and brings the chat up when one is tapped.
// Plain ES2015, like the rest of static/.
'use strict';

// ---- caching: to be written ---------------------------------------------------------------
// install / activate / fetch handlers go here. They may cache the static shell (/static/…)
// and an offline page only: never chat HTML, never /files/, never anything behind a log-in.
// -------------------------------------------------------------------------------------------

var CHAT = '/chat';

/** A path on this site to open, whatever the payload says. */
function sameOrigin(raw) {
  try {
    var url = new URL(raw || CHAT, self.location.origin);
    if (url.origin === self.location.origin) return url.href;
  } catch (e) { /* below */ }
  return new URL(CHAT, self.location.origin).href;
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
  event.waitUntil(self.registration.showNotification(typeof data.title === 'string' && data.title ? data.title : '커플챗', {
    body: typeof data.body === 'string' ? data.body : '',
    icon: '/static/icon.svg',
    tag: tag,
    renotify: true,
    data: { url: sameOrigin(data.url) }
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
