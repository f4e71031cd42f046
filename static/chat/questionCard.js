// The question both partners must answer, in the slot above the composer: a modal until I
// have answered, a note after, both answers once we both did. It comes with the page, in
// the answer to a send it held back, or through the stream. Adds chat.showQuestion(html).
// Plain ES2015 for old phone browsers. Without JavaScript the card shows inline.
(function (chat) {
  'use strict';
  if (!chat || !chat.slot) return;
  var slot = chat.slot;
  var hadModal = false;

  function card() {
    return slot.querySelector('dialog.question-card');
  }

  function sync() {
    var dialog = card();
    if (!dialog || !dialog.showModal) return; // an old browser shows it inline, as without JavaScript
    var answered = (dialog.getAttribute('data-answered') || '').split(' ');
    var mustAnswer = dialog.getAttribute('data-revealed') !== 'true' && answered.indexOf(chat.me) === -1;
    // Whether this very element was opened as a modal is kept on the element, not in its class:
    // htmx gives a swapped-in card (same id) the class of the card it replaces until it settles.
    var modal = dialog.ccModal === true;
    if (mustAnswer && !modal) {
      if (dialog.open) dialog.close();
      dialog.showModal();
      dialog.ccModal = modal = true;
    } else if (!mustAnswer && modal) {
      dialog.close();
      dialog.show();
      dialog.ccModal = modal = false;
    }
    if (modal) dialog.classList.add('is-modal');
    else dialog.classList.remove('is-modal');
    // My answer swapped the modal out and took the keyboard focus with it: back to the composer.
    var lost = !document.activeElement || document.activeElement === document.body;
    if (hadModal && !modal && lost && chat.composer) chat.composer.body.focus();
    hadModal = modal;
  }

  chat.showQuestion = function (html) {
    slot.innerHTML = html;
    // The refused message goes back into the composer; the card's copy of it is for pages
    // without JavaScript (answering here does not send it), so it goes.
    var kept = slot.querySelector('textarea[name="body"]');
    if (kept) {
      var parts = [slot.querySelector('label[for="' + kept.id + '"]'), kept, kept.form ? kept.form.querySelector('input[name="client_id"]') : null];
      parts.forEach(function (el) { if (el && el.parentNode) el.parentNode.removeChild(el); });
    }
    htmx.process(slot);
    sync();
  };

  // A card replaced while I was answering (my partner answered meanwhile) keeps what I typed,
  // and the keyboard where it was: in the box, or on 답하기 (where Enter sends, not a new line).
  var CONTROLS = 'textarea, button, a[href], input:not([type="hidden"])';
  var typed = null;
  function controlsOf(dialog) {
    return dialog ? Array.prototype.slice.call(dialog.querySelectorAll(CONTROLS)) : [];
  }
  function keepTyped() {
    var dialog = card();
    var box = dialog ? dialog.querySelector('textarea[name="answer"]') : null;
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
  document.body.addEventListener('htmx:afterSwap', function (evt) {
    if (evt.detail.target === slot) sync();
  });
  // htmx's settling then puts the new card's own class back: look again
  document.body.addEventListener('htmx:afterSettle', function (evt) {
    if (slot.contains(evt.target)) sync();
  });
  sync();
})(window.CoupleChat.chat);
