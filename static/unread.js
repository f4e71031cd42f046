// The 채팅 tab's count of my partner's messages I have not read, on every page of a couple:
// the server renders it (so it is there without JavaScript), and this keeps it going from
// the couple's stream. A page with a stream of its own (the chat, the calendar) lends it
// (htmx:sseOpen); any other page opens one from the event it was rendered with
// (data-stream), so a message sent meanwhile is not missed. Counting happens here, from
// what the stream brings anyway: the server does no work per message for it.
// While the page is hidden the count goes in front of its title too, and on the installed
// app's icon where the browser has the Badging API. Plain ES2015 for old phone browsers.
(function () {
  'use strict';
  var badge = document.querySelector('[data-unread]');
  if (!badge || !window.EventSource) return;
  var me = document.body.getAttribute('data-user-id');
  var side = badge.getAttribute('data-side');
  var tab = badge.parentNode;
  var shown = badge.querySelector('.tab-count');
  var said = badge.querySelector('.sr-only');
  var title = document.title;
  // the live chat, in front, reads what arrives (static/chat/readMarks.js): not counted there
  var chatReads = !badge.hasAttribute('data-stream') && !!document.querySelector('.chat[data-me]');
  // what the page was rendered with (which messages, this script does not know) and the
  // partner's messages that came since: a read mark of mine takes the ones up to it
  var rendered = Number(badge.getAttribute('data-unread')) || 0;
  var since = [];

  function parse(html) {
    var template = document.createElement('template');
    template.innerHTML = html;
    return template.content;
  }

  function count() {
    return rendered + since.length;
  }

  function show() {
    var n = count();
    var text = n > 99 ? '99+' : String(n);
    badge.hidden = n === 0;
    if (n) tab.setAttribute('aria-describedby', said.id);
    else tab.removeAttribute('aria-describedby');
    shown.textContent = text;
    said.textContent = n > 99 ? badge.getAttribute('data-many') : badge.getAttribute('data-one').replace('{count}', text);
    document.title = n && document.visibilityState === 'hidden' ? '(' + text + ') ' + title : title;
    if (n && navigator.setAppBadge) navigator.setAppBadge(n).catch(function () { /* not an installed app */ });
    else if (!n && navigator.clearAppBadge) navigator.clearAppBadge().catch(function () { /* idem */ });
  }

  function partnerMessage(data) {
    var msg = parse(data).querySelector('li.msg[data-id]');
    return msg && !msg.classList.contains('from-' + side) ? Number(msg.getAttribute('data-id')) : 0;
  }

  function arrived(evt) {
    var id = partnerMessage(evt.data);
    if (!id || since.indexOf(id) >= 0) return;
    if (chatReads && document.visibilityState === 'visible') return;
    since.push(id);
    show();
  }

  function deleted(evt) {
    var at = since.indexOf(partnerMessage(evt.data));
    if (at < 0) return;
    since.splice(at, 1);
    show();
  }

  // Read on this page or another device: up to its mark, including all the page was
  // rendered with (a mark is put at the newest message a chat page shows).
  function read(evt) {
    var mark = parse(evt.data).querySelector('[data-reader]');
    if (!mark || mark.getAttribute('data-reader') !== me) return;
    var to = Number(mark.getAttribute('data-to'));
    rendered = 0;
    since = since.filter(function (id) { return id > to; });
    show();
  }

  function listen(source) {
    if (!source || source.unreadCounted) return;
    source.unreadCounted = true;
    source.addEventListener('message', arrived);
    source.addEventListener('deleted', deleted);
    source.addEventListener('read', read);
  }

  document.body.addEventListener('htmx:sseOpen', function (evt) { listen(evt.detail && evt.detail.source); });
  if (badge.hasAttribute('data-stream')) listen(new EventSource(badge.getAttribute('data-stream'), { withCredentials: true }));
  document.addEventListener('visibilitychange', show);
  show();
})();
