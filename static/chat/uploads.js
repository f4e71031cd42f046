// Uploads: one request per chosen file, in order, each shown with its name, a progress bar
// and a cancel button until it is in the chat; one that failed says why for a while.
// Plain ES2015 for old phone browsers. Without JavaScript the form posts every file at once.
(function (chat) {
  'use strict';
  var uploader = document.getElementById('uploader');
  var progressList = document.getElementById('upload-progress');
  if (!chat || !uploader || !progressList || !window.FormData) return;

  function progressItem(file) {
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
    return item;
  }

  function finish(item, ok, message) {
    if (ok) {
      item.parentNode.removeChild(item);
      return;
    }
    var why = document.createElement('span');
    why.textContent = message || progressList.getAttribute('data-failed');
    item.replaceChild(why, item.querySelector('progress'));
    item.removeChild(item.querySelector('button'));
    setTimeout(function () { if (item.parentNode) item.parentNode.removeChild(item); }, 6000);
  }

  /** The messages the answer holds, less any the stream already brought. */
  function show(html) {
    var fragment = chat.parse(html);
    Array.prototype.forEach.call(fragment.querySelectorAll('li.msg'), function (li) {
      if (document.getElementById(li.id)) li.parentNode.removeChild(li);
    });
    chat.removeEmpty();
    chat.list.appendChild(fragment);
    htmx.process(chat.list);
    chat.toBottom();
  }

  function uploadOne(file, done) {
    var item = progressItem(file);
    var bar = item.querySelector('progress');
    progressList.appendChild(item);
    var data = new FormData();
    data.append('client_id', chat.newClientId());
    data.append('file', file);
    var xhr = new XMLHttpRequest();
    xhr.open('POST', '/chat/uploads');
    xhr.setRequestHeader('X-CSRF-Token', window.CoupleChat.csrfToken());
    xhr.setRequestHeader('HX-Request', 'true');
    xhr.upload.onprogress = function (e) { if (e.lengthComputable) { bar.max = e.total; bar.value = e.loaded; } };
    item.querySelector('button').addEventListener('click', function () { xhr.abort(); });
    function end(ok, message) {
      finish(item, ok, message);
      done();
    }
    xhr.onload = function () {
      if (xhr.status === 200) {
        show(xhr.responseText);
        return end(true);
      }
      if (xhr.status === 409 && xhr.responseText.indexOf('question-card') !== -1) {
        chat.showQuestion(xhr.responseText);
        return end(false);
      }
      var text = (xhr.responseText || '').replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
      end(false, text.length < 200 ? text : '');
    };
    xhr.onerror = function () { end(false); };
    xhr.onabort = function () { end(false); };
    xhr.send(data);
  }

  uploader.addEventListener('submit', function (evt) {
    evt.preventDefault();
    var files = Array.prototype.slice.call(uploader.file.files);
    uploader.reset();
    (function next() {
      var file = files.shift();
      if (file) uploadOne(file, next);
    })();
  });
})(window.CoupleChat.chat);
