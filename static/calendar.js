// The calendar: a tap on a day puts that day into the add form and the keyboard on its
// title, without loading the page again. Without JavaScript the day is a link to the month
// with the form ready for that day (/calendar?month=…&date=…#add), and the page does the same.
// Plain ES2015 for old phone browsers.
(function () {
  'use strict';
  document.addEventListener('click', function (evt) {
    if (evt.defaultPrevented || evt.button !== 0 || evt.metaKey || evt.ctrlKey || evt.shiftKey || evt.altKey) return;
    var link = evt.target && evt.target.closest ? evt.target.closest('a[data-add-date]') : null;
    var form = document.getElementById('add');
    var date = form && form.querySelector('input[name="date"]');
    var title = form && form.querySelector('input[name="title"]');
    if (!link || !date || !title) return;
    evt.preventDefault();
    date.value = link.getAttribute('data-add-date');
    title.focus();
    form.scrollIntoView({ block: 'nearest' });
  });
})();
