// Sending: the message shows at once as a pending bubble, becomes the stored message when
// the answer comes (or when the stream brings it first), and offers 다시 보내기 when the
// network or the server failed it; a send the server refused puts the text back in the box.
// Enter sends, Shift+Enter is a new line. Plain ES2015 for old phone browsers. Without
// JavaScript the form posts and the page comes back.
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
    return li;
  }

  function failed(li, text, clientId) {
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
      send(li, text, clientId);
    });
    meta.appendChild(retry);
  }

  function showError(message) {
    var error = document.getElementById('body-error');
    if (error) error.textContent = message.replace(/<[^>]*>/g, '');
  }

  function send(li, text, clientId) {
    var csrf = window.CoupleChat.csrfToken();
    var body = 'body=' + encodeURIComponent(text) + '&client_id=' + encodeURIComponent(clientId) + '&_csrf=' + encodeURIComponent(csrf);
    fetch('/chat/messages', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-CSRF-Token': csrf, 'HX-Request': 'true' },
      body: body,
    }).then(function (res) {
      return res.text().then(function (html) {
        if (res.status === 200) {
          var fragment = chat.parse(html);
          var real = fragment.querySelector('li.msg');
          if (!li.parentNode) return; // the stream already put the message in place
          if (real && document.getElementById(real.id)) li.parentNode.removeChild(li);
          else li.parentNode.replaceChild(fragment, li);
          htmx.process(chat.list);
          return;
        }
        if (res.status === 401 || res.headers.get('HX-Redirect')) {
          window.location.href = res.headers.get('HX-Redirect') || '/login';
          return;
        }
        if (res.status === 409 && html.indexOf('question-card') !== -1) {
          // a question waits for my answer: it opens, and the text goes back into the box
          if (li.parentNode) li.parentNode.removeChild(li);
          if (!form.body.value) form.body.value = text;
          chat.showQuestion(html);
          return;
        }
        if (res.status >= 400 && res.status < 500) {
          // refused (blank, too long, a question waiting…): the text goes back into the box
          if (li.parentNode) li.parentNode.removeChild(li);
          showError(html.length < 300 ? html : '');
          if (!form.body.value) form.body.value = text;
          return;
        }
        failed(li, text, clientId);
      });
    }).catch(function () { failed(li, text, clientId); });
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
    chat.list.appendChild(li);
    chat.toBottom();
    send(li, text, clientId);
    form.body.focus();
  });
  form.body.addEventListener('keydown', function (evt) {
    // Enter sends, Shift+Enter is a new line; never while a Korean syllable is being composed
    if (evt.key === 'Enter' && !evt.shiftKey && !evt.isComposing && evt.keyCode !== 229) {
      evt.preventDefault();
      if (form.requestSubmit) form.requestSubmit();
      else form.dispatchEvent(new Event('submit', { cancelable: true }));
    }
  });
})(window.CoupleChat.chat);
