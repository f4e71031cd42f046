// The htmx extension `optional-oob`, used by the pages that hold the couple's event stream.
// An event is one HTML for every such page, and some of its out-of-band parts have a place
// only on some pages, or only in what a page has loaded: a day of the month the calendar
// shows, a message the chat has loaded, its unread "1". The server marks those parts
// `data-oob-optional`; here, before htmx swaps, one whose target this page lacks is dropped
// (htmx would report each as htmx:oobErrorNoTarget in the console, burying the errors that
// matter), and the others lose the mark. An unmarked part without a target is still an error.
// A part marked `data-oob-once` adds elements that must show once (a revealed pair of
// answers, brought both by the answer that revealed it and by the stream): it is dropped
// where the page already has an element of one of its ids.
// Plain ES2015 for old phone browsers. Without JavaScript there is no stream.
(function () {
  'use strict';
  if (!window.htmx) return;
  var MARK = 'data-oob-optional';

  // Where htmx would swap the part: the selector after "style:", or else the part's own id.
  function hasTarget(part) {
    var spec = part.getAttribute('hx-swap-oob') || part.getAttribute('data-hx-swap-oob') || '';
    var colon = spec.indexOf(':');
    if (colon <= 0) return document.getElementById(part.id) !== null;
    try {
      return document.querySelector(spec.slice(colon + 1)) !== null;
    } catch (e) {
      return true; // one of htmx's own selectors (closest …, next …): htmx decides
    }
  }

  var ONCE = 'data-oob-once';

  function alreadyShown(part) {
    var ids = part.querySelectorAll('[id]');
    for (var i = 0; i < ids.length; i++) if (document.getElementById(ids[i].id)) return true;
    return false;
  }

  // decided as it is swapped, not as its response arrives: two may arrive before either is swapped
  document.addEventListener('htmx:oobBeforeSwap', function (evt) {
    var part = evt.detail.fragment;
    if (part && part.hasAttribute && part.hasAttribute(ONCE) && alreadyShown(part)) evt.detail.shouldSwap = false;
  });

  htmx.defineExtension('optional-oob', {
    transformResponse: function (text) {
      if (text.indexOf(MARK) === -1) return text;
      var template = document.createElement('template');
      template.innerHTML = text;
      var parts = template.content.querySelectorAll('[' + MARK + ']');
      for (var i = 0; i < parts.length; i++) {
        if (hasTarget(parts[i])) parts[i].removeAttribute(MARK);
        else parts[i].parentNode.removeChild(parts[i]);
      }
      return template.innerHTML;
    },
  });
})();
