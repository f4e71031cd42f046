// Where the history is scrolled: it opens at the newest message (or at the one a search
// result pointed to), and one that showed the newest message keeps showing it while the
// box's height changes (a question card opens above the composer, the phone's keyboard
// comes up). Adds chat.toBottom() and chat.followsNewest(). Plain ES2015 for old phone
// browsers.
(function (chat) {
  'use strict';
  if (!chat) return;
  var history = chat.history;

  function nearBottom() {
    return history.scrollHeight - history.scrollTop - history.clientHeight < 120;
  }
  chat.toBottom = function () {
    history.scrollTop = history.scrollHeight;
  };

  // Only the reader's own scrolling unpins it: a scroll event that comes with a change of
  // the box's height (dispatched before the resize is observed) is left to the observer.
  var pinned = false;
  var seenHeight = history.clientHeight;
  history.addEventListener('scroll', function () {
    if (history.clientHeight === seenHeight) pinned = nearBottom();
  }, { passive: true });
  if (window.ResizeObserver) {
    new ResizeObserver(function () {
      seenHeight = history.clientHeight;
      if (pinned) chat.toBottom();
    }).observe(history);
  }

  /** Whether what arrives now should be scrolled to: the reader is at (or near) the newest. */
  chat.followsNewest = function () {
    return pinned || nearBottom();
  };

  var target = location.hash && location.hash.indexOf('#m-') === 0 ? document.getElementById(location.hash.slice(1)) : null;
  // within the history only: the page itself goes back to its top, where the browser's own
  // jump to the #m- fragment may have moved it (the chat's header out of sight)
  // in the middle of the box, or (a message taller than the box) its start below the box's
  // top by the message's scroll-margin-top, so nothing above the history covers it
  function showTarget() {
    var margin = parseFloat(getComputedStyle(target).scrollMarginTop) || 0;
    var middle = target.offsetTop - (history.clientHeight - target.offsetHeight) / 2;
    history.scrollTop = Math.min(middle, target.offsetTop - margin);
    window.scrollTo(0, 0);
  }
  if (target) {
    showTarget();
    // The browser keeps scrolling to the #m- fragment, the page with it, until the page has
    // loaded: once more then, unless the reader has begun to move about.
    if (document.readyState !== 'complete') {
      var moved = function () { window.removeEventListener('load', showTarget); };
      window.addEventListener('load', showTarget);
      ['wheel', 'touchstart', 'keydown'].forEach(function (type) { window.addEventListener(type, moved, { once: true, passive: true }); });
    }
  } else {
    chat.toBottom();
    // at the newest from the start, even while there is too little to scroll (no scroll event
    // says so): a question card that takes room later keeps the newest message in sight
    pinned = true;
  }
})(window.CoupleChat.chat);
