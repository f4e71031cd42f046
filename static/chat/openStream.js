// The chat's event stream, opened from the page's head (the layout's meta chat-stream
// names it and its events) while the page is still arriving, not once its script has
// downloaded: on a slow phone network the two round trips then overlap, and the chat is
// live about 2 s sooner. Inlined in the chat page (its hash is in the Content-Security-
// Policy, src/web/security.ts). Events that come before the script is ready are kept for
// it; stream.js takes the stream over when htmx asks for one. If the script never takes
// it (it failed to load, or an old browser could not run it), the stream is closed once
// the page has loaded, and the page offers its 새 메시지 확인 link. Plain ES5.
(function () {
  'use strict';
  var meta = document.querySelector('meta[name="chat-stream"]');
  var url = meta && meta.getAttribute('content');
  if (!url || !window.EventSource) return;
  var source = new EventSource(url, { withCredentials: true });
  var kept = [];
  var keep = function (event) { if (kept) kept.push(event); };
  var types = meta.getAttribute('data-events').split(',');
  for (var i = 0; i < types.length; i++) source.addEventListener(types[i].replace(/\s/g, ''), keep);
  var early = window.CoupleChatStream = {
    source: source,
    /** The stream for the live script, with the events it missed; null once taken or closed. */
    take: function () {
      if (!kept || source.readyState === 2) return null;
      var missed = kept;
      kept = null;
      early.source = null;
      return { source: source, missed: missed };
    },
  };
  window.addEventListener('load', function () {
    if (kept) {
      kept = null;
      source.close();
    }
  });
})();
