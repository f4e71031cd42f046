// Photos open in a preview that can be closed (its button, a tap beside the photo, Escape),
// with a download button and 이전/다음 (or the arrow keys) to the photos beside it in the
// conversation; closed, the keyboard goes back to the photo. Plain ES2015 for old phone browsers. Without JavaScript, or where <dialog> is unknown (iOS < 15.4), a
// photo is a link to the file and the preview stays hidden (app.css).
(function (chat) {
  'use strict';
  var preview = document.getElementById('preview');
  if (!chat || !preview || !window.HTMLDialogElement || !preview.showModal) return;
  var image = preview.querySelector('img');
  var opener = null;

  var steps = preview.querySelectorAll('[data-step]');
  var current = null;

  // the photos of the conversation as loaded, oldest first: 이전 and 다음 walk through them
  function photos() { return Array.prototype.slice.call(chat.list.querySelectorAll('a[data-preview]')); }

  function show(link) {
    var thumb = link.querySelector('img');
    var all = photos();
    var i = all.indexOf(link);
    current = link;
    image.src = link.getAttribute('href');
    image.alt = thumb ? thumb.alt : '';
    preview.querySelector('a[download]').href = link.getAttribute('data-download');
    for (var s = 0; s < steps.length; s++) steps[s].hidden = !all[i + Number(steps[s].getAttribute('data-step'))];
  }

  function step(offset) {
    var all = photos();
    var next = all[all.indexOf(current) + offset];
    if (next) show(next);
  }

  chat.list.addEventListener('click', function (evt) {
    var link = evt.target.closest ? evt.target.closest('a[data-preview]') : null;
    if (!link) return;
    evt.preventDefault();
    opener = link;
    show(link);
    preview.showModal();
    preview.querySelector('[data-close]').focus();
  });
  for (var s = 0; s < steps.length; s++) {
    steps[s].addEventListener('click', function (evt) { step(Number(evt.currentTarget.getAttribute('data-step'))); });
  }
  // on the document: a step button that hid itself (the first or last photo) took the focus out of the dialog
  document.addEventListener('keydown', function (evt) {
    if (!preview.open) return;
    if (evt.key === 'ArrowLeft') step(-1);
    else if (evt.key === 'ArrowRight') step(1);
  });
  preview.querySelector('[data-close]').addEventListener('click', function () { preview.close(); });
  preview.addEventListener('click', function (evt) { if (evt.target === preview) preview.close(); });
  preview.addEventListener('close', function () {
    if (opener && document.contains(opener)) opener.focus();
    opener = null;
  });
})(window.CoupleChat.chat);
