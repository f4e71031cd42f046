// The album's preview: a tile opens the photo (or video) in a dialog with the newer and
// older one beside it (buttons, or the arrow keys), its download, and the way to it in the
// chat. Steps go through the tiles loaded so far. Plain ES5 for old phone browsers; without
// JavaScript, or where <dialog> is unknown, a tile is a link to the photo's own page.
(function () {
  'use strict';
  var grid = document.getElementById('album-grid');
  var preview = document.getElementById('album-preview');
  if (!grid || !preview || !window.HTMLDialogElement || !preview.showModal) return;
  var image = preview.querySelector('img');
  var video = preview.querySelector('video');
  var newer = preview.querySelector('[data-newer]');
  var older = preview.querySelector('[data-older]');
  var opener = null;
  var current = null;

  function tiles() { return Array.prototype.slice.call(grid.querySelectorAll('.album-tile')); }

  function step(link, tile) {
    link.hidden = !tile;
    if (tile) link.href = tile.getAttribute('href');
  }

  function show(tile) {
    var all = tiles();
    var i = all.indexOf(tile);
    var isVideo = tile.getAttribute('data-kind') === 'video';
    var thumb = tile.querySelector('img');
    current = tile;
    video.pause();
    image.hidden = isVideo;
    video.hidden = !isVideo;
    if (isVideo) {
      video.src = tile.getAttribute('data-src');
      image.removeAttribute('src');
    } else {
      image.src = tile.getAttribute('data-src');
      image.alt = thumb ? thumb.alt : '';
      video.removeAttribute('src');
    }
    preview.querySelector('[data-download]').href = tile.getAttribute('data-download');
    preview.querySelector('[data-chat]').href = tile.getAttribute('data-chat');
    step(newer, all[i - 1]);
    step(older, all[i + 1]);
  }

  function go(offset) {
    var all = tiles();
    var next = all[all.indexOf(current) + offset];
    if (next) show(next);
  }

  grid.addEventListener('click', function (evt) {
    var tile = evt.target.closest ? evt.target.closest('a.album-tile') : null;
    if (!tile) return;
    evt.preventDefault();
    opener = tile;
    show(tile);
    preview.showModal();
    preview.querySelector('[data-close]').focus();
  });
  newer.addEventListener('click', function (evt) { evt.preventDefault(); go(-1); });
  older.addEventListener('click', function (evt) { evt.preventDefault(); go(1); });
  // on the document: a step button that hid itself (the first or last photo) took the focus out of the dialog
  document.addEventListener('keydown', function (evt) {
    if (!preview.open) return;
    if (evt.key === 'ArrowLeft') go(-1);
    else if (evt.key === 'ArrowRight') go(1);
  });
  preview.querySelector('[data-close]').addEventListener('click', function () { preview.close(); });
  preview.addEventListener('click', function (evt) { if (evt.target === preview) preview.close(); });
  preview.addEventListener('close', function () {
    video.pause();
    if (opener && document.contains(opener)) opener.focus();
    opener = null;
  });
})();
