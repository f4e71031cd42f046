// Replies: the menu's 답장 puts the message's quote above the composer (✕ or Escape takes it
// away) and the next send (a text, or files) carries its id as reply_to. A quote in the
// conversation brings its original into view: in place when it is loaded, else the link
// opens the history around it (GET /chat?around=). The menu closes once a reaction is
// sent. Adds chat.replyTo(id) and chat.takeReply(). Plain ES2015 for old phone browsers.
// Without JavaScript 답장 is a link to the chat with the quote above the box.
(function (chat) {
  'use strict';
  if (!chat) return;
  var QUOTE_CHARS = 60;
  var form = chat.composer;
  var preview = document.getElementById('reply-preview');
  var slot = preview ? preview.querySelector('.reply-quote') : null;
  var uploadField = document.querySelector('#uploader input[name="reply_to"]');

  function set(id) {
    if (form && form.reply_to) form.reply_to.value = id;
    if (uploadField) uploadField.value = id;
  }

  function cancel() {
    set('');
    if (!preview) return;
    preview.hidden = true;
    slot.innerHTML = '';
  }

  function element(tag, className, text) {
    var el = document.createElement(tag);
    el.className = className;
    if (text) el.textContent = text;
    return el;
  }

  /** The quote of a message on the page, as the server draws it (views/chat/_quote.eta). */
  function quoteOf(li) {
    var id = li.getAttribute('data-id');
    var a = element('a', 'quote');
    a.href = '/chat?around=' + id + '#m-' + id;
    a.setAttribute('data-quote-of', id);
    var photo = li.querySelector('.bubble .photo img');
    if (photo) {
      var img = element('img', 'quote-thumb');
      img.src = photo.getAttribute('src');
      img.alt = '';
      a.appendChild(img);
    }
    var textEl = li.querySelector('.bubble > .text');
    var lines = textEl ? textEl.textContent.split('\n').filter(function (l) { return l.trim() !== ''; }) : [];
    var chars = Array.from(lines.length ? lines[0].trim() : '');
    var fileName = li.querySelector('.bubble .file-name');
    var text = chars.length > QUOTE_CHARS ? chars.slice(0, QUOTE_CHARS).join('') + '…' : chars.join('');
    if (!text) text = photo ? preview.getAttribute('data-photo-label') : (fileName ? fileName.textContent : '');
    var body = element('span', 'quote-body');
    // mine, or my partner's by the name I call them (the page says which side I am)
    var mine = li.classList.contains('from-' + document.querySelector('.chat').getAttribute('data-me'));
    body.appendChild(element('span', 'quote-sender', preview.getAttribute(mine ? 'data-reply-mine' : 'data-reply-label')));
    body.appendChild(element('span', 'quote-text', text));
    a.appendChild(body);
    return a;
  }

  chat.replyTo = function (id) {
    var li = document.getElementById('m-' + id);
    if (!li || !preview || li.classList.contains('deleted')) return;
    set(id);
    slot.innerHTML = '';
    slot.appendChild(quoteOf(li));
    preview.hidden = false;
    form.body.focus();
  };

  /** The reply being written (its id, or ''), which the send now on its way carries: the composer is done with it. */
  chat.takeReply = function () {
    var id = form && form.reply_to ? form.reply_to.value : '';
    cancel();
    return id;
  };

  /** Brings a message into view in the middle of the history, marked as the one a quote pointed to. */
  function show(li) {
    var found = chat.list.querySelectorAll('li.msg.found');
    for (var i = 0; i < found.length; i++) found[i].classList.remove('found');
    li.classList.add('found');
    var history = chat.history;
    history.scrollTop = li.offsetTop - (history.clientHeight - li.offsetHeight) / 2;
  }

  document.addEventListener('click', function (event) {
    if (!event.target.closest) return;
    var reply = event.target.closest('a[data-reply]');
    if (reply && form) {
      event.preventDefault();
      var menu = reply.closest('details');
      if (menu) menu.open = false;
      chat.replyTo(reply.getAttribute('data-reply'));
      return;
    }
    if (event.target.closest('.reply-cancel')) {
      event.preventDefault();
      cancel();
      form.body.focus();
      return;
    }
    var quote = event.target.closest('a.quote');
    var original = quote ? document.getElementById('m-' + quote.getAttribute('data-quote-of')) : null;
    if (!original) return; // not loaded: the link opens the history around it
    event.preventDefault();
    show(original);
  });

  if (form) {
    form.body.addEventListener('keydown', function (event) {
      if (event.key !== 'Escape' || !form.reply_to.value) return;
      event.preventDefault();
      cancel();
    });
  }

  // a reaction sent from a menu: the menu's work is done
  chat.list.addEventListener('htmx:afterRequest', function (event) {
    var menu = event.target.closest ? event.target.closest('details.msg-menu') : null;
    if (menu) menu.open = false;
  });
})(window.CoupleChat.chat);
