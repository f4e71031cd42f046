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

  function report(upTo) {
    reportedUpTo = upTo;
    fetch('/chat/read', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-CSRF-Token': window.CoupleChat.csrfToken(), 'HX-Request': 'true' },
      body: 'up_to=' + upTo,
    }).catch(function () { reportedUpTo = 0; });
  }

  chat.reportRead = function () {
    if (document.visibilityState !== 'visible') return;
    clearTimeout(timer);
    timer = setTimeout(function () {
      var upTo = newestOfPartner();
      if (upTo && upTo > reportedUpTo) report(upTo);
    }, 300);
  };

  document.addEventListener('visibilitychange', chat.reportRead);
  window.addEventListener('focus', chat.reportRead);
  chat.reportRead();
})(window.CoupleChat.chat);
