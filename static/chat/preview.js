// Photos open in a preview that can be closed (its button, a tap beside the photo, Escape),
// with a download button; closed, the keyboard goes back to the photo. Plain ES2015 for
// old phone browsers. Without JavaScript, or where <dialog> is unknown (iOS < 15.4), a
// photo is a link to the file and the preview stays hidden (app.css).
(function (chat) {
  'use strict';
  var preview = document.getElementById('preview');
  if (!chat || !preview || !window.HTMLDialogElement || !preview.showModal) return;
  var image = preview.querySelector('img');
  var opener = null;

  chat.list.addEventListener('click', function (evt) {
    var link = evt.target.closest ? evt.target.closest('a[data-preview]') : null;
    if (!link) return;
    evt.preventDefault();
    var thumb = link.querySelector('img');
    image.src = link.getAttribute('href');
    image.alt = thumb ? thumb.alt : '';
    preview.querySelector('a[download]').href = link.getAttribute('data-download');
    opener = link;
    preview.showModal();
    preview.querySelector('[data-close]').focus();
  });
  preview.querySelector('[data-close]').addEventListener('click', function () { preview.close(); });
  preview.addEventListener('click', function (evt) { if (evt.target === preview) preview.close(); });
  preview.addEventListener('close', function () {
    if (opener && document.contains(opener)) opener.focus();
    opener = null;
  });
})(window.CoupleChat.chat);
