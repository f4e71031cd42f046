// The chat page's behaviour on top of plain forms and htmx: sending with a pending bubble
// and retry, Enter to send, at most one copy of any message, read reports while the page
// is seen, and a reconnect that resumes from the last event received.
// Plain ES2015 for old phone browsers. Without JavaScript the forms work as they are.
(function () {
  'use strict';
  var section = document.querySelector('.chat[data-me]');
  if (!section || !window.fetch) return;
  var me = section.getAttribute('data-me');
  var partner = me === 'a' ? 'b' : 'a';
  var history = document.getElementById('history');
  var list = document.getElementById('messages');
  var form = document.getElementById('composer');
  var csrf = window.CoupleChat.csrfToken();
  var lastEventId = null;
  var reportedUpTo = 0;

  // Report the browser's zone once, so times are shown in it (the account setting wins).
  try {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone && document.cookie.indexOf('cc.tz=' + zone) === -1) {
      document.cookie = 'cc.tz=' + zone + '; path=/; max-age=31536000; samesite=lax';
    }
  } catch (e) { /* an old browser: APP_TIMEZONE it is */ }

  function newClientId() {
    var bytes = new Uint8Array(12);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ('0' + b.toString(16)).slice(-2); }).join('');
  }

  function nearBottom() {
    return history.scrollHeight - history.scrollTop - history.clientHeight < 120;
  }
  function toBottom() {
    history.scrollTop = history.scrollHeight;
  }

  // The history is a box whose height changes (a question card opens above the composer,
  // the phone's keyboard comes up): one that showed the newest message keeps showing it.
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
      if (pinned) toBottom();
    }).observe(history);
  }

  function parse(html) {
    var template = document.createElement('template');
    template.innerHTML = html;
    return template.content;
  }

  function removeEmpty() {
    var empty = document.getElementById('chat-empty');
    if (empty) empty.parentNode.removeChild(empty);
  }

  // ---- reconnects resume where this page is, not where it was rendered
  var source = null;
  if (window.htmx) {
    htmx.createEventSource = function (url) {
      var from = lastEventId !== null ? url.replace(/([?&]lastEventId=)\d+/, '$1' + lastEventId) : url;
      source = new EventSource(from, { withCredentials: true });
      return source;
    };
  }

  // A phone back from the background, or a network that came back, may hold a stream
  // that died silently: start a fresh one at once (the extension reconnects on 'error',
  // and the server replays everything after lastEventId).
  function reconnect() {
    if (!source) return;
    source.close();
    source.dispatchEvent(new Event('error'));
  }
  var hiddenAt = 0;
  document.addEventListener('visibilitychange', function () {
    if (document.visibilityState === 'hidden') hiddenAt = Date.now();
    else if (hiddenAt && Date.now() - hiddenAt > 20000) reconnect();
  });
  window.addEventListener('online', reconnect);

  document.body.addEventListener('htmx:sseBeforeMessage', function (evt) {
    var event = evt.detail;
    if (event.lastEventId) lastEventId = event.lastEventId;
    if (event.type !== 'message') return;
    var incoming = parse(event.data).querySelector('li.msg');
    if (!incoming) return;
    if (document.getElementById(incoming.id)) {
      evt.preventDefault(); // already shown (our own send's answer came first, or a replay)
      return;
    }
    removeEmpty();
    var pending = list.querySelector('li.pending[data-client-id="' + incoming.getAttribute('data-client-id') + '"]');
    if (pending) pending.parentNode.removeChild(pending);
    stickToBottom = pinned || nearBottom() || incoming.classList.contains('from-' + me);
  });

  var stickToBottom = false;
  document.body.addEventListener('htmx:sseMessage', function () {
    if (stickToBottom) toBottom();
    stickToBottom = false;
    reportRead();
  });

  var banner = document.getElementById('connection');
  document.body.addEventListener('htmx:sseError', function () { if (banner) banner.hidden = false; });
  // A stream the server refused (readyState CLOSED) may mean this person is no longer in a
  // couple (a break-up took effect) or no longer logged in: ask once, and if a stream would
  // be refused (401), the home page sends them where they belong. An outage is left to
  // the extension's own retries.
  document.body.addEventListener('htmx:sseError', function (evt) {
    var failed = evt.detail && evt.detail.source;
    if (!failed || failed.readyState !== 2) return;
    fetch('/chat/stream', { method: 'HEAD', credentials: 'same-origin' }).then(function (res) {
      if (res.status === 401) window.location.assign('/');
    }).catch(function () { /* offline: the extension keeps trying */ });
  });
  document.body.addEventListener('htmx:sseOpen', function () { if (banner) banner.hidden = true; });

  // ---- read marks: only while the page is actually seen
  var readTimer = null;
  function reportRead() {
    if (document.visibilityState !== 'visible') return;
    clearTimeout(readTimer);
    readTimer = setTimeout(function () {
      var theirs = list.querySelectorAll('li.msg.from-' + partner);
      if (!theirs.length) return;
      var upTo = Number(theirs[theirs.length - 1].getAttribute('data-id'));
      if (!upTo || upTo <= reportedUpTo) return;
      reportedUpTo = upTo;
      fetch('/chat/read', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-CSRF-Token': csrf, 'HX-Request': 'true' },
        body: 'up_to=' + upTo,
      }).catch(function () { reportedUpTo = 0; });
    }, 300);
  }
  document.addEventListener('visibilitychange', reportRead);
  window.addEventListener('focus', reportRead);

  // ---- the question both must answer: a modal until I have answered, a note after
  var slot = document.getElementById('question-slot');
  function showQuestion(html) {
    if (!slot) return;
    slot.innerHTML = html;
    // The refused message goes back into the composer; the card's copy of it is for pages
    // without JavaScript (answering here does not send it), so it goes.
    var kept = slot.querySelector('textarea[name="body"]');
    if (kept) {
      var keptParts = [slot.querySelector('label[for="' + kept.id + '"]'), kept, kept.form ? kept.form.querySelector('input[name="client_id"]') : null];
      keptParts.forEach(function (el) { if (el && el.parentNode) el.parentNode.removeChild(el); });
    }
    if (window.htmx) htmx.process(slot);
    syncQuestion();
  }
  var hadModal = false;
  function syncQuestion() {
    var dialog = slot ? slot.querySelector('dialog.question-card') : null;
    if (!dialog || !dialog.showModal) return; // an old browser shows it inline, as without JavaScript
    var answered = (dialog.getAttribute('data-answered') || '').split(' ');
    var mustAnswer = dialog.getAttribute('data-revealed') !== 'true' && answered.indexOf(me) === -1;
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
    if (hadModal && !modal && lost && form && form.body) form.body.focus();
    hadModal = modal;
  }
  // A card replaced while I was answering (my partner answered meanwhile) keeps what I typed,
  // and the keyboard where it was: in the box, or on 답하기 (where Enter sends, not a new line).
  var CONTROLS = 'textarea, button, a[href], input:not([type="hidden"])';
  var typed = null;
  function controlsOf(card) {
    return card ? Array.prototype.slice.call(card.querySelectorAll(CONTROLS)) : [];
  }
  function keepTyped() {
    var card = slot ? slot.querySelector('dialog.question-card') : null;
    var box = card ? card.querySelector('textarea[name="answer"]') : null;
    typed = card ? {
      question: card.getAttribute('data-question'),
      id: box ? box.id : null,
      value: box ? box.value : '',
      focusAt: controlsOf(card).indexOf(document.activeElement)
    } : null;
  }
  function restoreTyped() {
    var card = slot ? slot.querySelector('dialog.question-card') : null;
    var was = typed;
    typed = null;
    if (!was || !card || card.getAttribute('data-question') !== was.question || card.getAttribute('data-revealed') === 'true') return;
    var box = was.id ? document.getElementById(was.id) : null;
    if (box && !box.value && was.value) box.value = was.value;
    var control = was.focusAt === -1 ? null : controlsOf(card)[was.focusAt];
    if (control && control.getClientRects().length) control.focus();
  }
  var cardArrived = false;
  document.body.addEventListener('htmx:sseBeforeMessage', function (evt) {
    cardArrived = ['question', 'answered', 'revealed'].indexOf(evt.detail.type) !== -1;
    if (cardArrived) keepTyped();
  });
  document.body.addEventListener('htmx:sseMessage', function () {
    // a new card is bound at once, not when htmx settles: an answer sent in between would go as a plain form
    if (cardArrived && slot && window.htmx) htmx.process(slot);
    cardArrived = false;
    syncQuestion();
    restoreTyped();
  });
  document.body.addEventListener('htmx:afterSwap', function (evt) {
    if (evt.detail.target === slot) syncQuestion();
  });
  // htmx's settling then puts the new card's own class back: look again
  document.body.addEventListener('htmx:afterSettle', function (evt) {
    if (slot && slot.contains(evt.target)) syncQuestion();
  });
  syncQuestion();

  // ---- sending
  function pendingBubble(text, clientId) {
    var li = document.createElement('li');
    li.className = 'msg from-' + me + ' pending';
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

  function send(li, text, clientId) {
    var body = 'body=' + encodeURIComponent(text) + '&client_id=' + encodeURIComponent(clientId) + '&_csrf=' + encodeURIComponent(csrf);
    fetch('/chat/messages', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-CSRF-Token': csrf, 'HX-Request': 'true' },
      body: body,
    }).then(function (res) {
      return res.text().then(function (html) {
        if (res.status === 200) {
          var fragment = parse(html);
          var real = fragment.querySelector('li.msg');
          if (!li.parentNode) return; // the stream already put the message in place
          if (real && document.getElementById(real.id)) li.parentNode.removeChild(li);
          else li.parentNode.replaceChild(fragment, li);
          if (window.htmx) htmx.process(list);
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
          showQuestion(html);
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

  function showError(message) {
    var error = document.getElementById('body-error');
    if (error) error.textContent = message.replace(/<[^>]*>/g, '');
  }

  if (form) {
    form.addEventListener('submit', function (evt) {
      evt.preventDefault();
      var text = form.body.value.trim();
      if (!text) return;
      var clientId = form.client_id.value;
      form.client_id.value = newClientId();
      form.body.value = '';
      showError('');
      removeEmpty();
      var li = pendingBubble(text, clientId);
      list.appendChild(li);
      toBottom();
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
  }

  // ---- photos open in a preview that can be closed, with a download button
  var preview = document.getElementById('preview');
  if (preview && preview.showModal) {
    list.addEventListener('click', function (evt) {
      var link = evt.target.closest ? evt.target.closest('a[data-preview]') : null;
      if (!link) return;
      evt.preventDefault();
      preview.querySelector('img').src = link.getAttribute('href');
      preview.querySelector('img').alt = link.querySelector('img') ? link.querySelector('img').alt : '';
      preview.querySelector('a[download]').href = link.getAttribute('data-download');
      opener = link;
      preview.showModal();
      preview.querySelector('[data-close]').focus();
    });
    // closed by its button, a tap beside the photo or Escape: the keyboard goes back to the photo
    var opener = null;
    preview.querySelector('[data-close]').addEventListener('click', function () { preview.close(); });
    preview.addEventListener('click', function (evt) { if (evt.target === preview) preview.close(); });
    preview.addEventListener('close', function () {
      if (opener && document.contains(opener)) opener.focus();
      opener = null;
    });
  }

  // ---- uploads: one request per file, in order, each with a progress bar and a cancel
  var uploader = document.getElementById('uploader');
  var progressList = document.getElementById('upload-progress');
  function uploadOne(file, done) {
    var item = document.createElement('li');
    var name = document.createElement('span');
    name.className = 'name';
    name.textContent = file.name;
    var bar = document.createElement('progress');
    bar.max = file.size || 1;
    bar.value = 0;
    var cancel = document.createElement('button');
    cancel.type = 'button';
    cancel.className = 'link';
    cancel.textContent = progressList.getAttribute('data-cancel');
    item.appendChild(name);
    item.appendChild(bar);
    item.appendChild(cancel);
    progressList.appendChild(item);
    var data = new FormData();
    data.append('client_id', newClientId());
    data.append('file', file);
    var xhr = new XMLHttpRequest();
    xhr.open('POST', '/chat/uploads');
    xhr.setRequestHeader('X-CSRF-Token', csrf);
    xhr.setRequestHeader('HX-Request', 'true');
    xhr.upload.onprogress = function (e) { if (e.lengthComputable) { bar.max = e.total; bar.value = e.loaded; } };
    cancel.addEventListener('click', function () { xhr.abort(); });
    function finish(ok, message) {
      if (ok) item.parentNode.removeChild(item);
      else {
        cancel.remove();
        bar.remove();
        var why = document.createElement('span');
        why.textContent = message || progressList.getAttribute('data-failed');
        item.appendChild(why);
        setTimeout(function () { if (item.parentNode) item.parentNode.removeChild(item); }, 6000);
      }
      done();
    }
    xhr.onload = function () {
      if (xhr.status === 200) {
        var fragment = parse(xhr.responseText);
        Array.prototype.forEach.call(fragment.querySelectorAll('li.msg'), function (li) {
          if (document.getElementById(li.id)) li.parentNode.removeChild(li);
        });
        removeEmpty();
        list.appendChild(fragment);
        if (window.htmx) htmx.process(list);
        toBottom();
        return finish(true);
      }
      if (xhr.status === 409 && xhr.responseText.indexOf('question-card') !== -1) {
        showQuestion(xhr.responseText);
        return finish(false);
      }
      var text = (xhr.responseText || '').replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
      finish(false, text.length < 200 ? text : '');
    };
    xhr.onerror = function () { finish(false); };
    xhr.onabort = function () { finish(false); };
    xhr.send(data);
  }
  if (uploader && window.FormData && progressList) {
    uploader.addEventListener('submit', function (evt) {
      evt.preventDefault();
      var files = Array.prototype.slice.call(uploader.file.files);
      uploader.reset();
      (function next() {
        var file = files.shift();
        if (file) uploadOne(file, next);
      })();
    });
  }

  // ---- start at the newest message (or at the one a search result pointed to)
  var target = location.hash && location.hash.indexOf('#m-') === 0 ? document.getElementById(location.hash.slice(1)) : null;
  // within the history only: the page itself goes back to its top, where the browser's own
  // jump to the #m- fragment may have moved it (the chat's header out of sight)
  if (target) {
    history.scrollTop = target.offsetTop - (history.clientHeight - target.offsetHeight) / 2;
    window.scrollTo(0, 0);
  }
  else toBottom();
  reportRead();
})();
