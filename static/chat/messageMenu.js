// A message's menu (the <details class="msg-menu"> beside it): its button opens it, and so
// does holding a finger on the bubble (about half a second) or a right click, as chat apps
// do. One menu is open at a time; a tap elsewhere or Escape closes it. Without JavaScript
// the button alone opens it. Plain ES2015 for old phone browsers.
(function (chat) {
  'use strict';
  if (!chat) return;
  var HOLD_MS = 500;
  var SLOP_PX = 10; // a finger that moves further is scrolling, not holding
  var press = null; // { timer, x, y, opened }

  function menuOf(target) {
    var li = target && target.closest ? target.closest('li.msg') : null;
    if (!li || !target.closest('.bubble')) return null;
    var menu = li.querySelector('details.msg-menu');
    // only a menu the page shows (mine, for now: app.css)
    return menu && menu.offsetParent !== null ? menu : null;
  }

  function closeAll(except) {
    var open = chat.list.querySelectorAll('details.msg-menu[open]');
    for (var i = 0; i < open.length; i++) if (open[i] !== except) open[i].open = false;
  }

  function open(menu) {
    closeAll(menu);
    menu.open = true;
    var first = menu.querySelector('.msg-menu-items button, .msg-menu-items a');
    if (first) first.focus({ preventScroll: true });
    var items = menu.querySelector('.msg-menu-items');
    if (items && items.scrollIntoView) items.scrollIntoView({ block: 'nearest' });
  }

  function cancelPress() {
    if (press) clearTimeout(press.timer);
    press = null;
  }

  chat.list.addEventListener('touchstart', function (event) {
    cancelPress();
    var menu = event.touches.length === 1 ? menuOf(event.target) : null;
    if (!menu) return;
    var touch = event.touches[0];
    var current = { x: touch.clientX, y: touch.clientY, opened: false, timer: 0 };
    current.timer = setTimeout(function () {
      current.opened = true;
      open(menu);
    }, HOLD_MS);
    press = current;
  }, { passive: true });

  chat.list.addEventListener('touchmove', function (event) {
    if (!press || press.opened) return;
    var touch = event.touches[0];
    if (Math.abs(touch.clientX - press.x) > SLOP_PX || Math.abs(touch.clientY - press.y) > SLOP_PX) cancelPress();
  }, { passive: true });

  chat.list.addEventListener('touchend', function (event) {
    // the finger lifted after the menu opened: that is no tap on what lies under it
    if (press && press.opened && event.cancelable) event.preventDefault();
    cancelPress();
  });
  chat.list.addEventListener('touchcancel', cancelPress);

  // a right click, and the long press of phones that report it as one
  chat.list.addEventListener('contextmenu', function (event) {
    var menu = menuOf(event.target);
    if (!menu) return;
    event.preventDefault();
    if (!menu.open) open(menu);
  });

  // one menu at a time, its items in sight (opened by its button, too: a message at the
  // bottom of the history would have them below the box's edge)
  chat.list.addEventListener('toggle', function (event) {
    var menu = event.target;
    if (!menu.classList || !menu.classList.contains('msg-menu') || !menu.open) return;
    closeAll(menu);
    var items = menu.querySelector('.msg-menu-items');
    if (items && items.scrollIntoView) items.scrollIntoView({ block: 'nearest' });
  }, true);

  document.addEventListener('click', function (event) {
    if (!event.target.closest || !event.target.closest('details.msg-menu')) closeAll(null);
  });

  document.addEventListener('keydown', function (event) {
    if (event.key !== 'Escape') return;
    var menu = event.target.closest ? event.target.closest('details.msg-menu[open]') : null;
    if (!menu) return;
    menu.open = false;
    menu.querySelector('summary').focus();
  });
})(window.CoupleChat.chat);
