// Uploads: a photo (or any file) goes as soon as it is picked. Files picked together go in
// one request and become one message (several photos: one bubble, an album), in groups
// within the server's caps (files and bytes per message), in order; each request is shown
// with its name, a progress bar and a cancel button until it is in the chat; one that
// failed (or was cancelled) says so for a while. Plain ES2015 for old phone browsers.
// Without JavaScript the form's 파일 보내기 posts every file at once, as one message too.
(function (chat) {
  'use strict';
  var uploader = document.getElementById('uploader');
  var progressList = document.getElementById('upload-progress');
  if (!chat || !uploader || !progressList || !window.FormData) return;

  var maxFiles = Number(progressList.getAttribute('data-max-files')) || 1;
  var maxBytes = Number(progressList.getAttribute('data-max-bytes')) || Infinity;

  // "고양이.jpg 외 2개": the first file's name, and how many more go with it
  function nameOf(files) {
    if (files.length === 1) return files[0].name;
    return progressList.getAttribute('data-several').replace('{name}', files[0].name).replace('{n}', String(files.length - 1));
  }

  function progressItem(files) {
    var item = document.createElement('li');
    var name = document.createElement('span');
    name.className = 'name';
    name.textContent = nameOf(files);
    var bar = document.createElement('progress');
    bar.max = files.reduce(function (sum, file) { return sum + file.size; }, 0) || 1;
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

  // htmx puts the answer at the end of the messages (#upload-progress says where, and that
  // the request is multipart), less any message the stream brought first; a refusal goes
  // nowhere: its item says why.
  chat.list.addEventListener('htmx:beforeSwap', function (evt) {
    var detail = evt.detail;
    if (!detail.requestConfig || !progressList.contains(detail.requestConfig.elt)) return;
    if (detail.xhr.status !== 200) {
      detail.shouldSwap = false;
      return;
    }
    var answer = document.createElement('template');
    answer.innerHTML = detail.serverResponse;
    Array.prototype.forEach.call(answer.content.querySelectorAll('li.msg'), function (li) {
      if (document.getElementById(li.id)) li.parentNode.removeChild(li);
    });
    detail.serverResponse = answer.innerHTML;
  });

  function settle(item, xhr) {
    if (xhr.status === 200) {
      chat.removeEmpty();
      chat.toBottom();
      return finish(item, true);
    }
    var html = xhr.status ? xhr.responseText : '';
    if (xhr.status === 409 && html.indexOf('question-card') !== -1) {
      chat.showQuestion(html);
      return finish(item, false);
    }
    var text = html.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
    finish(item, false, text.length < 200 ? text : '');
  }

  // the token goes in htmx's header, not in the address as the form without JavaScript has it
  var path = uploader.getAttribute('action').split('?')[0];

  function uploadGroup(files, done) {
    var item = progressItem(files);
    var bar = item.querySelector('progress');
    progressList.appendChild(item);
    item.addEventListener('htmx:xhr:progress', function (evt) {
      if (evt.detail.lengthComputable) {
        bar.max = evt.detail.total;
        bar.value = evt.detail.loaded;
      }
    });
    var cancelled = false;
    item.querySelector('button').addEventListener('click', function () {
      cancelled = true;
      htmx.trigger(item, 'htmx:abort');
    });
    item.addEventListener('htmx:afterRequest', function (evt) {
      if (cancelled) finish(item, false, progressList.getAttribute('data-cancelled'));
      else settle(item, evt.detail.xhr);
      done();
    });
    // the item says itself that it failed: not the page's alert region too
    item.addEventListener('htmx:sendError', function (evt) { evt.stopPropagation(); });
    item.addEventListener('htmx:responseError', function (evt) { evt.stopPropagation(); });
    // fields before the file, as the server reads them
    htmx.ajax('POST', path, { source: item, values: { client_id: chat.newClientId(), reply_to: chat.takeReply ? chat.takeReply() : '', file: files } });
  }

  // in order, as many together as one message may carry; a file alone over the cap goes alone (and is refused, saying why)
  function groupsOf(files) {
    var groups = [];
    var group = [];
    var bytes = 0;
    files.forEach(function (file) {
      if (group.length && (group.length === maxFiles || bytes + file.size > maxBytes)) {
        groups.push(group);
        group = [];
        bytes = 0;
      }
      group.push(file);
      bytes += file.size;
    });
    if (group.length) groups.push(group);
    return groups;
  }

  function sendPicked() {
    var groups = groupsOf(Array.prototype.slice.call(uploader.file.files));
    uploader.reset();
    (function next() {
      var group = groups.shift();
      if (group) uploadGroup(group, next);
    })();
  }
  uploader.addEventListener('submit', function (evt) {
    evt.preventDefault();
    sendPicked();
  });
  // picked is sent: no second button to find (the page without JavaScript keeps it)
  uploader.classList.add('sends-on-pick');
  uploader.file.addEventListener('change', function () {
    if (uploader.file.files.length) sendPicked();
  });
})(window.CoupleChat.chat);
