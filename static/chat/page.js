// The chat page's shared parts, handed to each module after this one (static/chat/*.js,
// joined into one script in the order src/web/assets.ts lists them): the elements they
// work on, which side is mine, and small helpers. A module adds to it what the others
// call (toBottom, reportRead, showQuestion), so what one part needs of another is named
// where it is used; each keeps its own state to itself. Plain ES2015 for old phone
// browsers. Without JavaScript the page's forms work as they are.
(function () {
  'use strict';
  var section = document.querySelector('.chat[data-me]');
  if (!section || !window.htmx) return;
  var me = section.getAttribute('data-me');

  window.CoupleChat.chat = {
    me: me,
    partner: me === 'a' ? 'b' : 'a',
    history: document.getElementById('history'),
    list: document.getElementById('messages'),
    composer: document.getElementById('composer'),
    slot: document.getElementById('question-slot'),

    parse: function (html) {
      var template = document.createElement('template');
      template.innerHTML = html;
      return template.content;
    },

    /** "No messages yet" goes with the first message. */
    removeEmpty: function () {
      var empty = document.getElementById('chat-empty');
      if (empty) empty.parentNode.removeChild(empty);
    },

    /** The random id that makes a send (and its retries) one message. */
    newClientId: function () {
      var bytes = new Uint8Array(12);
      crypto.getRandomValues(bytes);
      return Array.prototype.map.call(bytes, function (b) { return ('0' + b.toString(16)).slice(-2); }).join('');
    },
  };
})();
