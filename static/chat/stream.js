// The couple's event stream (htmx's SSE extension does the swapping): a message shows
// once whoever brought it first (the stream or my own send's answer), the history follows
// it (or a revealed pair of answers) when I am at the newest, and a stream that died comes
// back resuming from the last event this page received, not from where the page was
// rendered. Plain ES2015 for old phone browsers. Without JavaScript the page has a link
// to load it again.
(function (chat) {
  'use strict';
  if (!chat) return;
  var lastEventId = null;
  var source = null;

  htmx.createEventSource = function (url) {
    // the first time, the stream the page opened as it arrived (static/chat/openStream.js)
    var early = lastEventId === null && window.CoupleChatStream ? window.CoupleChatStream.take() : null;
    if (early) {
      source = early.source;
      // the extension listens once this returns: then it hears the opening it missed, and what came meanwhile
      setTimeout(function () {
        if (early.source.readyState === 1) early.source.dispatchEvent(new Event('open'));
        early.missed.forEach(function (event) {
          early.source.dispatchEvent(new MessageEvent(event.type, { data: event.data, lastEventId: event.lastEventId }));
        });
      }, 0);
      return source;
    }
    var from = lastEventId !== null ? url.replace(/([?&]lastEventId=)\d+/, '$1' + lastEventId) : url;
    source = new EventSource(from, { withCredentials: true });
    return source;
  };

  // A phone back from the background, or a network that came back, may hold a stream
  // that died silently: start a fresh one at once (the extension reconnects on 'error',
  // and the server replays everything after lastEventId).
  function reconnect() {
    if (!source) return;
    source.close();
    source.dispatchEvent(new Event('error'));
  }
  var hiddenAt = 0;
  document.addEventListener('visibilitychange', function () {
    if (document.visibilityState === 'hidden') hiddenAt = Date.now();
    else if (hiddenAt && Date.now() - hiddenAt > 20000) reconnect();
  });
  window.addEventListener('online', reconnect);

  var follow = false;
  document.body.addEventListener('htmx:sseBeforeMessage', function (evt) {
    var event = evt.detail;
    if (event.lastEventId) lastEventId = event.lastEventId;
    if (event.type === 'revealed') follow = chat.followsNewest(); // a pair of answers joins the conversation
    if (event.type !== 'message') return;
    var incoming = chat.parse(event.data).querySelector('li.msg');
    if (!incoming) return;
    if (document.getElementById(incoming.id)) {
      evt.preventDefault(); // already shown (our own send's answer came first, or a replay)
      return;
    }
    chat.removeEmpty();
    var pending = chat.list.querySelector('li.pending[data-client-id="' + incoming.getAttribute('data-client-id') + '"]');
    if (pending) pending.parentNode.removeChild(pending);
    follow = chat.followsNewest() || incoming.classList.contains('from-' + chat.me);
  });
  document.body.addEventListener('htmx:sseMessage', function () {
    if (follow) chat.toBottom();
    follow = false;
    chat.reportRead();
  });

  // The page's "check for new messages" link goes while the stream is open, and is back while it is not.
  var banner = document.getElementById('connection');
  var section = document.querySelector('.chat[data-me]');
  document.body.addEventListener('htmx:sseOpen', function () {
    if (banner) banner.hidden = true;
    section.classList.add('live');
  });
  document.body.addEventListener('htmx:sseError', function (evt) {
    if (banner) banner.hidden = false;
    section.classList.remove('live');
    // A stream the server refused (readyState CLOSED) may mean this person is no longer in a
    // couple (a break-up took effect) or no longer logged in: ask once, and if a stream would
    // be refused (401), the home page sends them where they belong. An outage is left to
    // the extension's own retries.
    var failed = evt.detail && evt.detail.source;
    if (!failed || failed.readyState !== 2) return;
    fetch('/chat/stream', { method: 'HEAD', credentials: 'same-origin' }).then(function (res) {
      if (res.status === 401) window.location.assign('/');
    }).catch(function () { /* offline: the extension keeps trying */ });
  });
})(window.CoupleChat.chat);
