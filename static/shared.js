// What the page's scripts share, on window.CoupleChat. The CSRF token is read here and
// nowhere else: htmx sends it by itself (the body's hx-headers) with every request it
// makes; this is for what is not an htmx request, such as a form posted by the browser.
// Plain ES2015 for old phone browsers.
(function () {
  'use strict';
  var shared = window.CoupleChat = window.CoupleChat || {};

  shared.csrfToken = function () {
    try {
      return JSON.parse(document.body.getAttribute('hx-headers'))['X-CSRF-Token'] || '';
    } catch (e) {
      return ''; // a page without one: the server refuses, and says why
    }
  };
})();
