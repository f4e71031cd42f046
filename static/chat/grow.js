// The composer grows with what is typed, up to its max-height (app.css), as `field-sizing:
// content` makes it do where the browser has that (Chromium); elsewhere (Safari, Firefox,
// older phones) this sets its height from what it holds. Plain ES2015 for old phone
// browsers. Without JavaScript the box is one line that scrolls.
(function (chat) {
  'use strict';
  var box = chat && chat.composer ? chat.composer.querySelector('textarea[name="body"]') : null;
  if (!box) return;
  var sizesItself = !!(window.CSS && CSS.supports && CSS.supports('field-sizing', 'content')) &&
    getComputedStyle(box).getPropertyValue('field-sizing') === 'content';
  if (sizesItself) return;

  function fit() {
    var style = getComputedStyle(box);
    box.style.height = 'auto';
    box.style.height = (box.scrollHeight + parseFloat(style.borderTopWidth) + parseFloat(style.borderBottomWidth)) + 'px';
  }
  box.addEventListener('input', fit);
  // a sent message empties the box (composer.js, after this listener): fit it once that is done
  chat.composer.addEventListener('submit', function () { setTimeout(fit, 0); });
  fit();
})(window.CoupleChat.chat);
