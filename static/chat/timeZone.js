// The browser's time zone, told to the server once (a cookie), so times are shown in it;
// a zone chosen on the account page wins. Plain ES2015 for old phone browsers.
(function (chat) {
  'use strict';
  if (!chat) return;
  try {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone && document.cookie.indexOf('cc.tz=' + zone) === -1) {
      document.cookie = 'cc.tz=' + zone + '; path=/; max-age=31536000; samesite=lax';
    }
  } catch (e) { /* an old browser: APP_TIMEZONE it is */ }
})(window.CoupleChat.chat);
