// "입력 중…": while I type, my partner's page hears it (POST /chat/typing, at most every
// 2.5 s: the server relays one signal per 2 s per person and drops the rest); while my
// partner types, mine shows it under the conversation. Clearing the box says so (stopped=1)
// and the indicator goes at once; else it goes 5 s after the last signal by itself, or at
// once when their message comes.
// The region is polite and only filled when the indicator appears (refreshes change no
// text), so a screen reader hears it once per spell of typing. Plain ES2015 for old phone
// browsers; without JavaScript there is no indicator.
(function (chat) {
  'use strict';
  var region = document.getElementById('typing');
  if (!chat || !chat.composer || !region) return;
  var SEND_EVERY_MS = 2500;
  var SHOWN_FOR_MS = 5000;

  var box = chat.composer.body;
  var sentAt = 0;
  // htmx posts it (the page's CSRF header) from the indicator, which is in no form: the draft
  // is not sent along. The answer (204) is of no interest, and one that did not get through
  // is not worth the page's alert region.
  function signal(stopped) {
    htmx.ajax('POST', '/chat/typing', { source: region, values: stopped ? { stopped: '1' } : {}, handler: function () {} }).then(null, function () {});
  }
  region.addEventListener('htmx:sendError', function (evt) { evt.stopPropagation(); });
  box.addEventListener('input', function () {
    if (!box.value.trim()) {
      // cleared: my partner's indicator goes now, and the next word is news again
      if (sentAt) signal(true);
      sentAt = 0;
      return;
    }
    var now = Date.now();
    if (now - sentAt < SEND_EVERY_MS) return;
    sentAt = now;
    signal(false);
  });
  chat.composer.addEventListener('submit', function () { sentAt = 0; });

  var timer = null;
  function hide() {
    clearTimeout(timer);
    region.textContent = '';
  }
  function show() {
    clearTimeout(timer);
    timer = setTimeout(hide, SHOWN_FOR_MS);
    if (region.firstChild) return;
    var text = document.createElement('span');
    text.textContent = region.getAttribute('data-text');
    region.appendChild(text);
  }

  // every stream the page opens (the first, and each after a reconnect) carries the signal
  var createEventSource = htmx.createEventSource;
  htmx.createEventSource = function (url) {
    var source = createEventSource(url);
    source.addEventListener('typing', function (evt) {
      if (evt.data === 'stopped') hide();
      else show();
    });
    return source;
  };
  document.body.addEventListener('htmx:sseBeforeMessage', function (evt) {
    if (evt.detail.type === 'message' && chat.parse(evt.detail.data).querySelector('li.msg.from-' + chat.partner)) hide();
  });
})(window.CoupleChat.chat);
