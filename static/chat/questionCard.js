// The question both partners must answer, in the slot just above the composer: the
// question and my answer box until I have answered, a note after; once we both did, the
// slot empties and the pair of answers is a card in the conversation. It comes with the page, in the answer to a send it held back, or through the
// stream. It never takes the keyboard: a card that arrives while I type is announced, my
// draft stays in the composer, and the composer's button becomes 질문에 먼저 답하기, which
// puts me in the answer box (Enter there does the same). Adds chat.showQuestion(html).
// Plain ES2015 for old phone browsers. Without JavaScript the card shows inline, and a
// send while it waits comes back with the card and the message kept.
(function (chat) {
  'use strict';
  if (!chat || !chat.slot) return;
  var slot = chat.slot;
  var section = slot.closest('.chat');
  var news = document.getElementById('question-news');
  var owed = false;
  var announced = null;

  function card() {
    return slot.querySelector('dialog.question-card');
  }

  function answerBox() {
    var dialog = card();
    return dialog ? dialog.querySelector('textarea[name="answer"]') : null;
  }

  function sync() {
    var dialog = card();
    var answered = dialog ? (dialog.getAttribute('data-answered') || '').split(' ') : [];
    var mustAnswer = !!dialog && dialog.getAttribute('data-revealed') !== 'true' && answered.indexOf(chat.me) === -1;
    if (mustAnswer && !dialog.open) dialog.setAttribute('open', '');
    section.classList.toggle('owes-answer', mustAnswer);
    // a question new to this page is read out once; the focus stays where it is
    var id = dialog ? dialog.getAttribute('data-question') : null;
    if (mustAnswer && news && id !== announced) {
      var text = dialog.querySelector('.question-text');
      news.textContent = news.getAttribute('data-template').replace('{text}', text ? text.textContent.trim() : '');
      announced = id;
    }
    // My answer swapped the form out and took the keyboard focus with it: back to the composer.
    var lost = !document.activeElement || document.activeElement === document.body;
    if (owed && !mustAnswer && lost && chat.composer) chat.composer.body.focus();
    owed = mustAnswer;
  }

  function toAnswer() {
    var box = answerBox();
    if (!box) return;
    box.scrollIntoView({ block: 'nearest' });
    box.focus();
  }

  chat.showQuestion = function (html) {
    slot.innerHTML = html;
    // The refused message stays in the composer; the card's copy of it is for pages
    // without JavaScript (answering here does not send it), so it goes.
    var kept = slot.querySelector('textarea[name="body"]');
    if (kept) {
      var parts = [slot.querySelector('label[for="' + kept.id + '"]'), kept, kept.form ? kept.form.querySelector('input[name="client_id"]') : null];
      parts.forEach(function (el) { if (el && el.parentNode) el.parentNode.removeChild(el); });
    }
    htmx.process(slot);
    sync();
  };

  // While I owe an answer the composer sends nothing: its button and Enter take me to the answer.
  document.addEventListener('submit', function (evt) {
    if (evt.target !== chat.composer || !section.classList.contains('owes-answer')) return;
    evt.preventDefault();
    evt.stopImmediatePropagation();
    toAnswer();
  }, true);
  if (chat.composer) {
    var answerFirst = chat.composer.querySelector('.answer-first');
    if (answerFirst) answerFirst.addEventListener('click', function (evt) {
      evt.preventDefault();
      toAnswer();
    });
  }

  // A card replaced while I was answering (my partner answered meanwhile) keeps what I typed,
  // and the keyboard where it was: in the box, or on 답하기 (where Enter sends, not a new line).
  var CONTROLS = 'textarea, button, a[href], input:not([type="hidden"])';
  var typed = null;
  function controlsOf(dialog) {
    return dialog ? Array.prototype.slice.call(dialog.querySelectorAll(CONTROLS)) : [];
  }
  function keepTyped() {
    var dialog = card();
    var box = answerBox();
    typed = dialog ? {
      question: dialog.getAttribute('data-question'),
      id: box ? box.id : null,
      value: box ? box.value : '',
      focusAt: controlsOf(dialog).indexOf(document.activeElement)
    } : null;
  }
  function restoreTyped() {
    var dialog = card();
    var was = typed;
    typed = null;
    if (!was || !dialog || dialog.getAttribute('data-question') !== was.question || dialog.getAttribute('data-revealed') === 'true') return;
    var box = was.id ? document.getElementById(was.id) : null;
    if (box && !box.value && was.value) box.value = was.value;
    var control = was.focusAt === -1 ? null : controlsOf(dialog)[was.focusAt];
    if (control && control.getClientRects().length) control.focus();
  }

  var cardArrived = false;
  document.body.addEventListener('htmx:sseBeforeMessage', function (evt) {
    cardArrived = ['question', 'answered', 'revealed'].indexOf(evt.detail.type) !== -1;
    if (cardArrived) keepTyped();
  });
  document.body.addEventListener('htmx:sseMessage', function () {
    // a new card is bound at once, not when htmx settles: an answer sent in between would go as a plain form
    if (cardArrived) htmx.process(slot);
    cardArrived = false;
    sync();
    restoreTyped();
  });
  // My answer that revealed both: the pair of answers joins the conversation, and the history
  // follows it when I was at the newest.
  var follow = false;
  document.body.addEventListener('htmx:beforeSwap', function (evt) {
    if (evt.detail.target === slot) follow = chat.followsNewest();
  });
  document.body.addEventListener('htmx:afterSwap', function (evt) {
    if (evt.detail.target !== slot) return;
    sync();
    if (follow) chat.toBottom();
    follow = false;
  });
  document.body.addEventListener('htmx:afterSettle', function (evt) {
    if (slot.contains(evt.target)) sync();
  });
  sync();
})(window.CoupleChat.chat);
