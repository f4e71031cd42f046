// Notifications on this browser, only when the person asks for them: the "turn on" button
// asks for permission, registers the service worker (/sw.js), subscribes with the server's
// VAPID key and posts the subscription (POST /push/subscriptions); "turn off" unsubscribes
// and tells the server. Each [data-push-control] shows the state: on, off, blocked, not
// supported. A browser that is subscribed posts its subscription again once per tab (the
// keys may have changed, or another user logged in here since). Plain ES2015 for old
// phone browsers; without JavaScript the controls stay hidden and nothing is asked.
(function () {
  'use strict';
  var controls = document.querySelectorAll('[data-push-control]');
  if (!controls.length || !window.fetch || !window.Promise || !window.htmx) return;
  var supported = 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;
  var DISMISSED = 'cc.push.dismissed';
  var SYNCED = 'cc.push.synced';
  var csrf = window.CoupleChat.csrfToken();

  function each(list, fn) {
    for (var i = 0; i < list.length; i++) fn(list[i]);
  }

  function stored(storage, key) {
    try { return window[storage].getItem(key); } catch (e) { return null; }
  }
  function store(storage, key, value) {
    try { window[storage].setItem(key, value); } catch (e) { /* private mode: fine */ }
  }

  // The chat page's offer shows only to a browser that has not been asked yet.
  var offer = supported && Notification.permission === 'default' && !stored('localStorage', DISMISSED);

  function show(state) {
    each(controls, function (control) {
      var prompt = control.hasAttribute('data-push-prompt');
      each(control.querySelectorAll('[data-push-state]'), function (span) {
        span.hidden = span.getAttribute('data-push-state') !== state || (prompt && (state === 'off' || state === 'unsupported'));
      });
      each(control.querySelectorAll('[data-push-on]'), function (button) {
        button.hidden = !(state === 'off' || state === 'failed');
      });
      each(control.querySelectorAll('[data-push-off]'), function (button) {
        button.hidden = state !== 'on' || prompt;
      });
      each(control.querySelectorAll('button'), function (button) {
        button.disabled = state === 'working';
      });
      control.setAttribute('data-state', state);
      control.hidden = prompt ? !offer : false;
    });
  }

  // htmx makes the request from the control, with the CSRF header it sends for every
  // other; the answer is read here, never swapped
  function post(path, fields) {
    return new Promise(function (resolve, reject) {
      htmx.ajax('POST', path, { source: controls[0], values: fields, handler: function (elt, info) { resolve(info.xhr); } })
        .then(null, reject);
    });
  }

  function ok(xhr) {
    return xhr.status >= 200 && xhr.status < 300;
  }

  function serverKey() {
    return fetch('/push/key', { credentials: 'same-origin' }).then(function (res) {
      if (!res.ok) throw new Error('key: ' + res.status);
      return res.text();
    });
  }

  function keyBytes(base64url) {
    var base64 = base64url.replace(/-/g, '+').replace(/_/g, '/');
    var raw = atob(base64 + '===='.slice(base64.length % 4 || 4));
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return bytes;
  }

  function sameKey(subscription, key) {
    var current = subscription.options && subscription.options.applicationServerKey;
    if (!current) return true; // an older browser does not say: trust it
    var a = new Uint8Array(current);
    var b = keyBytes(key);
    if (a.length !== b.length) return false;
    for (var i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }

  function registration() {
    return navigator.serviceWorker.getRegistration('/');
  }

  function currentSubscription() {
    return registration().then(function (reg) {
      return reg ? reg.pushManager.getSubscription() : null;
    });
  }

  // the CSRF token is new at every log-in, so another log-in in this tab posts again
  function syncMark(endpoint) {
    return csrf + ' ' + endpoint;
  }

  function save(subscription) {
    var json = subscription.toJSON();
    return post('/push/subscriptions', { endpoint: json.endpoint, p256dh: json.keys.p256dh, auth: json.keys.auth }).then(function (res) {
      if (!ok(res)) {
        return subscription.unsubscribe().then(function () { throw new Error('subscribe: ' + res.status); });
      }
      store('sessionStorage', SYNCED, syncMark(json.endpoint));
      return subscription;
    });
  }

  /** A subscription made with the server's key (made again when the server's key changed). */
  function subscribe(reg, key) {
    return reg.pushManager.getSubscription().then(function (existing) {
      if (existing && sameKey(existing, key)) return existing;
      var gone = existing ? existing.unsubscribe() : Promise.resolve();
      return gone.then(function () {
        return reg.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: keyBytes(key) });
      });
    });
  }

  // Old Safari takes a callback, newer browsers return a promise.
  function askPermission() {
    return new Promise(function (resolve) {
      var asked = Notification.requestPermission(resolve);
      if (asked && asked.then) asked.then(resolve);
    });
  }

  function failed(err) {
    if (window.console) console.warn('notifications:', err);
    show('failed');
  }

  function turnOn() {
    // asked at once: browsers grant the request only straight from the click
    var permission = askPermission();
    show('working');
    permission.then(function (answer) {
      if (answer === 'denied') return 'blocked';
      if (answer !== 'granted') return 'off';
      var key = serverKey();
      return navigator.serviceWorker.register('/sw.js', { scope: '/' })
        .then(function () { return navigator.serviceWorker.ready; })
        .then(function (reg) { return key.then(function (k) { return subscribe(reg, k); }); })
        .then(save)
        .then(function () { return 'on'; });
    }).then(function (state) {
      show(state);
      if (state === 'on' && offer) setTimeout(function () { offer = false; show('on'); }, 4000);
    }, failed);
  }

  function turnOff() {
    show('working');
    currentSubscription().then(function (subscription) {
      if (!subscription) return;
      var endpoint = subscription.endpoint;
      return subscription.unsubscribe().then(function () {
        return post('/push/subscriptions/delete', { endpoint: endpoint });
      }).then(function (res) {
        if (!ok(res) && res.status !== 404) throw new Error('unsubscribe: ' + res.status); // 404: the server had already let it go
      });
    }).then(function () { show('off'); }, failed);
  }

  /** The server hears of this browser's subscription again (new keys, another user logged in). */
  function sync(subscription) {
    if (stored('sessionStorage', SYNCED) === syncMark(subscription.endpoint)) return;
    serverKey().then(function (key) {
      return registration().then(function (reg) { return subscribe(reg, key); });
    }).then(save).catch(failed);
  }

  each(controls, function (control) {
    each(control.querySelectorAll('[data-push-on]'), function (b) { b.addEventListener('click', turnOn); });
    each(control.querySelectorAll('[data-push-off]'), function (b) { b.addEventListener('click', turnOff); });
    each(control.querySelectorAll('[data-push-dismiss]'), function (b) {
      b.addEventListener('click', function () {
        store('localStorage', DISMISSED, '1');
        offer = false;
        show(control.getAttribute('data-state') || 'off');
      });
    });
  });

  if (!supported) return show('unsupported');
  if (Notification.permission === 'denied') return show('blocked');
  currentSubscription().then(function (subscription) {
    if (subscription && Notification.permission === 'granted') {
      show('on');
      sync(subscription);
    } else {
      show('off');
    }
  }, function () { show('off'); });
})();
