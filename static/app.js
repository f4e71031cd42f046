// Every page: the service worker is registered (and a log-out lets this browser's
// notifications go); a form shown again with errors puts the keyboard on the first one; an htmx
// request that could not reach the server (or got no usable answer) says so in the page's
// alert region, where the server's own error messages go too (HX-Retarget). Said once, not
// again at each retry of a polling list; gone once a request goes through.
// Plain ES2015 for old phone browsers. Without JavaScript forms post and pages say it all.
(function () {
  'use strict';
  // The service worker keeps this build's scripts, styles and icons and the offline page
  // (never a page behind a log-in); it also shows notifications once they are turned on.
  if ('serviceWorker' in navigator && window.isSecureContext) {
    // Once the page has loaded: installing it downloads this build's scripts, styles and
    // icons, which on a slow phone network would otherwise hold up what the page needs.
    var register = function () {
      navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(function () { /* no offline page then */ });
    };
    if (document.readyState === 'complete') register();
    else window.addEventListener('load', register);
    // Logging out stops this browser's notifications for the one who leaves: the log-out
    // form carries the browser's subscription, and the server lets it go.
    if (window.Notification && Notification.permission === 'granted') {
      navigator.serviceWorker.getRegistration('/').then(function (reg) {
        return reg && reg.pushManager ? reg.pushManager.getSubscription() : null;
      }).then(function (subscription) {
        if (!subscription) return;
        var forms = document.querySelectorAll('form[action="/logout"]');
        for (var i = 0; i < forms.length; i++) {
          var input = document.createElement('input');
          input.type = 'hidden';
          input.name = 'push_endpoint';
          input.value = subscription.endpoint;
          forms[i].appendChild(input);
        }
      }).catch(function () { /* no subscription to let go */ });
    }
  }

  // A form the stream brought (a question card, rendered once for both partners) carries no
  // token of its own; sent before htmx has taken it over, the browser posts it as it is, so
  // the page's token goes along.
  document.addEventListener('submit', function (evt) {
    var form = evt.target;
    if (!form || !form.getAttribute || (form.getAttribute('method') || '').toLowerCase() !== 'post') return;
    if (form.querySelector('input[name="_csrf"]')) return;
    var token = window.CoupleChat.csrfToken();
    if (!token) return;
    var input = document.createElement('input');
    input.type = 'hidden';
    input.name = '_csrf';
    input.value = token;
    form.appendChild(input);
  }, true);

  // A form sent back with errors: the keyboard goes to the first field in error, whose
  // label and error message (aria-describedby) a screen reader then reads together.
  var invalid = document.querySelector('main [aria-invalid="true"]');
  if (invalid && !document.querySelector('dialog[open]')) invalid.focus();

  var region = document.getElementById('htmx-error');
  if (!region) return;
  var shown = null;

  function say(kind) {
    if (shown === kind) return;
    var p = document.createElement('p');
    p.className = 'flash flash-error';
    p.textContent = region.getAttribute('data-' + kind) || '';
    region.textContent = '';
    region.appendChild(p);
    shown = kind;
  }

  document.body.addEventListener('htmx:sendError', function () { say('network'); });
  document.body.addEventListener('htmx:responseError', function (evt) {
    // an answer htmx swaps (the server's message, retargeted here) speaks for itself
    if (evt.detail && evt.detail.xhr && evt.detail.xhr.getResponseHeader('HX-Retarget')) return;
    say('server');
  });
  document.body.addEventListener('htmx:afterRequest', function (evt) {
    if (shown && evt.detail && evt.detail.successful) {
      region.textContent = '';
      shown = null;
    }
  });
})();
