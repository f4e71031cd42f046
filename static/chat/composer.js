// Sending: the message shows at once as a pending bubble, becomes the stored message when
// the answer comes (or when the stream brings it first), and offers 다시 보내기 when the
// network or the server failed it; a send the server refused puts the text back in the box.
// Enter sends (on a touch phone it is a new line), Shift+Enter is a new line. Plain ES2015
// for old phone browsers. Without JavaScript the form posts and the page comes back.
(function (chat) {
  'use strict';
  if (!chat || !chat.composer) return;
  var form = chat.composer;

  function pendingBubble(text, clientId) {
    var li = document.createElement('li');
    li.className = 'msg from-' + chat.me + ' pending';
    li.setAttribute('data-client-id', clientId);
    var bubble = document.createElement('div');
    bubble.className = 'bubble';
    var p = document.createElement('p');
    p.className = 'text';
    p.textContent = text;
    bubble.appendChild(p);
    var meta = document.createElement('span');
    meta.className = 'meta';
    meta.textContent = form.getAttribute('data-pending');
    li.appendChild(bubble);
    li.appendChild(meta);
    li.addEventListener('htmx:beforeSwap', function (evt) { placeAnswer(li, evt.detail); });
    li.addEventListener('htmx:afterRequest', function (evt) { settle(li, evt.detail.xhr); });
    // the bubble says itself that it failed: not the page's alert region too
    li.addEventListener('htmx:sendError', function (evt) { evt.stopPropagation(); });
    li.addEventListener('htmx:responseError', function (evt) { evt.stopPropagation(); });
    return li;
  }

  /**
   * htmx posts each message from its own bubble, not from the form: htmx holds one request
   * per element, and a second message sent while the first is on its way must not wait
   * behind it (nor be read from the form once the box was emptied).
   */
  function send(li) {
    htmx.ajax('POST', form.getAttribute('action'), {
      source: li,
      values: { body: li.querySelector('.text').textContent, client_id: li.getAttribute('data-client-id'), reply_to: li.getAttribute('data-reply-to') || '' },
      swap: 'outerHTML',
    });
  }

  /** The stored message takes the bubble's place, unless the stream put it in first; anything else is settled below. */
  function placeAnswer(li, detail) {
    if (detail.xhr.status !== 200) {
      detail.shouldSwap = false;
      return;
    }
    var real = chat.parse(detail.serverResponse).querySelector('li.msg');
    if (document.body.contains(li) && !(real && document.getElementById(real.id))) return;
    detail.shouldSwap = false;
    if (li.parentNode) li.parentNode.removeChild(li);
  }

  function settle(li, xhr) {
    if (xhr.status === 200 || xhr.getResponseHeader('HX-Redirect')) return; // in place, or htmx leaves for the log-in page
    var html = xhr.status ? xhr.responseText : '';
    if (xhr.status === 409 && html.indexOf('question-card') !== -1) {
      // a question waits for my answer: it opens, and the text goes back into the box
      takeBack(li);
      chat.showQuestion(html);
    } else if (xhr.status >= 400 && xhr.status < 500) {
      // refused (blank, too long, too fast…): the reason under the box, the text back in it
      takeBack(li);
      showError(html.length < 300 ? html : '');
    } else {
      failed(li);
    }
  }

  function takeBack(li) {
    if (li.parentNode) li.parentNode.removeChild(li);
    if (!form.body.value) form.body.value = li.querySelector('.text').textContent;
    if (li.getAttribute('data-reply-to') && chat.replyTo) chat.replyTo(li.getAttribute('data-reply-to')); // unless it was deleted meanwhile
  }

  function failed(li) {
    li.classList.remove('pending');
    li.classList.add('failed');
    var meta = li.querySelector('.meta');
    meta.textContent = form.getAttribute('data-failed') + ' ';
    var retry = document.createElement('button');
    retry.type = 'button';
    retry.className = 'link retry';
    retry.textContent = form.getAttribute('data-retry');
    retry.addEventListener('click', function () {
      li.classList.remove('failed');
      li.classList.add('pending');
      meta.textContent = form.getAttribute('data-pending');
      send(li); // the same client_id: one message, however many tries reach the server
    });
    meta.appendChild(retry);
  }

  function showError(message) {
    var error = document.getElementById('body-error');
    if (error) error.textContent = message.replace(/<[^>]*>/g, '');
  }

  form.addEventListener('submit', function (evt) {
    evt.preventDefault();
    var text = form.body.value.trim();
    if (!text) return;
    var clientId = form.client_id.value;
    form.client_id.value = chat.newClientId();
    form.body.value = '';
    showError('');
    chat.removeEmpty();
    var li = pendingBubble(text, clientId);
    if (chat.takeReply) li.setAttribute('data-reply-to', chat.takeReply());
    chat.list.appendChild(li);
    chat.toBottom();
    send(li);
    form.body.focus();
  });
  // On a touch phone Enter is a new line and the send button sends, as in KakaoTalk: the
  // on-screen keyboard's Enter sits where a slip sends half a sentence. With a physical
  // keyboard (a mouse or trackpad points), Enter sends.
  var touchFirst = window.matchMedia ? window.matchMedia('(pointer: coarse), (hover: none)') : null;
  form.body.addEventListener('keydown', function (evt) {
    // Shift+Enter is always a new line; never send while a Korean syllable is being composed
    if (evt.key === 'Enter' && !evt.shiftKey && !evt.isComposing && evt.keyCode !== 229 && !(touchFirst && touchFirst.matches)) {
      evt.preventDefault();
      if (form.requestSubmit) form.requestSubmit();
      else form.dispatchEvent(new Event('submit', { cancelable: true }));
    }
  });
})(window.CoupleChat.chat);
