// The break-up banner's countdown. The server writes it correct at render; this keeps it
// ticking, also when the banner arrives later through the chat's stream, and when the
// time comes it goes home once, where the server ends the couple and shows /pair. It also
// says "I" to the one who started it.
// Plain ES2015 for old phone browsers. Without JavaScript the text is as rendered.
(function () {
  'use strict';
  var UNITS = [['d', 86400000], ['h', 3600000], ['m', 60000], ['s', 1000]];
  var leaving = false;

  function fill(template, name, value) {
    return template.split('{' + name + '}').join(String(value));
  }

  // the same rule as remainingText in src/couple/banner.ts: the two largest units from the first that is not zero
  function remaining(ms, words) {
    var rest = Math.max(0, Math.floor(ms / 1000) * 1000);
    var n = UNITS.map(function (unit) {
      var v = Math.floor(rest / unit[1]);
      rest -= v * unit[1];
      return v;
    });
    var first = -1;
    for (var i = 0; i < n.length; i++) if (n[i] > 0) { first = i; break; }
    if (first === -1) return words.now;
    var shown = [];
    for (var j = first; j < Math.min(first + 2, n.length); j++) shown.push(fill(words[UNITS[j][0]], 'n', n[j]));
    return fill(words.left, 'time', shown.join(' '));
  }

  function tick() {
    var nodes = document.querySelectorAll('[data-breakup-due]');
    for (var i = 0; i < nodes.length; i++) {
      var node = nodes[i];
      var left = Number(node.getAttribute('data-breakup-due')) - Date.now();
      var words;
      try { words = JSON.parse(node.getAttribute('data-units')); } catch (e) { continue; }
      node.textContent = remaining(left, words);
      // only a countdown seen running reaches its end here: a clock that is ahead of the
      // server's would otherwise send the page home again and again
      if (left > 0) node.setAttribute('data-running', '');
      else if (node.hasAttribute('data-running') && !leaving) {
        leaving = true;
        setTimeout(function () { window.location.assign('/'); }, 1500);
      }
    }
  }

  // The stream brings one banner for both partners, naming who started the break-up; on
  // that person's own page it says "I" instead (the server does the same for a page it renders).
  function speakForMe() {
    var banner = document.getElementById('breakup-banner');
    var me = document.body && document.body.getAttribute('data-user-id');
    if (banner && me && banner.getAttribute('data-by') === me) banner.classList.add('by-me');
  }
  document.addEventListener('htmx:load', speakForMe);
  document.addEventListener('htmx:oobAfterSwap', speakForMe);
  document.addEventListener('htmx:afterSettle', speakForMe);

  tick();
  speakForMe();
  setInterval(function () { tick(); speakForMe(); }, 1000);
})();
