// Read marks: the newest of my partner's messages this page shows is reported as read, but
// only while the page is actually seen (in front, or coming back to the front). Adds
// chat.reportRead(). Plain ES2015 for old phone browsers.
(function (chat) {
  'use strict';
  if (!chat) return;
  var reportedUpTo = 0;
  var timer = null;

  function newestOfPartner() {
    var theirs = chat.list.querySelectorAll('li.msg.from-' + chat.partner);
    return theirs.length ? Number(theirs[theirs.length - 1].getAttribute('data-id')) : 0;
  }

  // htmx posts it (with the page's CSRF header) from the empty mark after the newest message:
  // htmx marks the source of a request busy (htmx-request), which must dim no button. The
  // answer (204) is of no interest, and a report that did not get through is made again at
  // the next chance, quietly: the page's alert region is for what the person did.
  var source = document.getElementById('latest');
  function report(upTo) {
    reportedUpTo = upTo;
    htmx.ajax('POST', '/chat/read', { source: source, values: { up_to: upTo }, handler: function () {} })
      .then(null, function () { reportedUpTo = 0; });
  }
  source.addEventListener('htmx:sendError', function (evt) { evt.stopPropagation(); });

  chat.reportRead = function () {
    if (document.visibilityState !== 'visible') return;
    clearTimeout(timer);
    timer = setTimeout(function () {
      if (document.visibilityState !== 'visible') return; // hidden meanwhile: what came since is not seen
      var upTo = newestOfPartner();
      if (upTo && upTo > reportedUpTo) report(upTo);
    }, 300);
  };

  document.addEventListener('visibilitychange', chat.reportRead);
  window.addEventListener('focus', chat.reportRead);
  chat.reportRead();
})(window.CoupleChat.chat);
