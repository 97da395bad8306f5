// WabaHooks dashboard: the pages read without this file; it only adds live rows, job progress and copy buttons.
// No inline script anywhere (the Content-Security-Policy forbids it): everything hangs off data- attributes.
(function () {
  'use strict';

  // Live list: the server's Server-Sent Events say "something new"; the rows themselves come server-rendered from
  // the same filtered query (one renderer, one filter implementation). The browser's EventSource resends the last
  // id it saw as Last-Event-ID when it reconnects, so a dropped connection misses nothing.
  function live(table) {
    var tbody = table.querySelector('tbody');
    var bar = document.getElementById('live-bar');
    var count = bar && bar.querySelector('[data-count]');
    var show = bar && bar.querySelector('[data-show]');
    var state = document.getElementById('live-state');
    var empty = document.getElementById('empty-state');
    var firstPage = table.getAttribute('data-first-page') === 'true';
    var last = Number(table.getAttribute('data-after') || '0');
    var held = [];
    var busy = false;
    var again = false;

    function readerAtTop() { return firstPage && window.scrollY < 120; }

    function insert(rows) {
      for (var i = rows.length - 1; i >= 0; i--) {
        rows[i].classList.add('new');
        tbody.insertBefore(rows[i], tbody.firstChild);
      }
      if (empty && rows.length) { empty.hidden = true; }
    }

    function announce() {
      if (!bar) { return; }
      count.textContent = String(held.length);
      bar.hidden = held.length === 0;
    }

    function pull() {
      if (busy) { again = true; return; }
      busy = true;
      again = false;
      var url = table.getAttribute('data-live-rows');
      url += (url.indexOf('?') < 0 ? '?' : '&') + 'after=' + encodeURIComponent(String(last));
      fetch(url, { credentials: 'same-origin', headers: { Accept: 'text/html' } })
        .then(function (r) { return r.ok ? r.text() : ''; })
        .then(function (html) {
          var t = document.createElement('template');
          t.innerHTML = html;
          var rows = Array.prototype.slice.call(t.content.querySelectorAll('tr[data-seq]'));
          rows.forEach(function (r) { last = Math.max(last, Number(r.getAttribute('data-seq'))); });
          if (rows.length === 0) { return; }
          if (readerAtTop() && held.length === 0) {
            insert(rows);
          } else {
            held = rows.concat(held);
            announce();
          }
        })
        .catch(function () { /* the next signal tries again */ })
        .then(function () { busy = false; if (again) { pull(); } });
    }

    if (show) {
      show.addEventListener('click', function (e) {
        if (!firstPage) { return; } // a later page follows the link to the newest page
        e.preventDefault();
        insert(held);
        held = [];
        announce();
        window.scrollTo(0, 0);
        tbody.querySelector('tr') && tbody.querySelector('tr a') && tbody.querySelector('tr a').focus();
      });
    }

    var stream = table.getAttribute('data-live-stream');
    if (stream && window.EventSource) {
      var source = new EventSource(stream, { withCredentials: true });
      source.onopen = function () { if (state) { state.setAttribute('data-state', 'open'); state.textContent = 'live'; } pull(); };
      source.onerror = function () { if (state) { state.setAttribute('data-state', 'closed'); state.textContent = 'reconnecting'; } };
      source.onmessage = pull;
      ['event', 'attempt', 'delivery'].forEach(function (name) { source.addEventListener(name, pull); });
    } else {
      setInterval(pull, 2000);
    }
  }

  // A running job (bulk replay): its progress section re-renders from the server until the job ends.
  function poll(section) {
    var url = section.getAttribute('data-poll');
    var timer = setInterval(function () {
      fetch(url, { credentials: 'same-origin', headers: { Accept: 'text/html' } })
        .then(function (r) { return r.ok ? r.text() : null; })
        .then(function (html) {
          if (html === null) { return; }
          var t = document.createElement('template');
          t.innerHTML = html;
          var next = t.content.firstElementChild;
          if (!next) { return; }
          section.replaceChildren.apply(section, Array.prototype.slice.call(next.childNodes));
          if (next.getAttribute('data-done') === 'true') { clearInterval(timer); section.setAttribute('data-done', 'true'); }
        })
        .catch(function () { });
    }, 500);
  }

  function copies() {
    document.querySelectorAll('button[data-copy]').forEach(function (b) {
      b.hidden = false;
      b.addEventListener('click', function () {
        var text = b.getAttribute('data-copy');
        var target = b.getAttribute('data-copy-from');
        if (target) { var el = document.getElementById(target); text = el ? el.textContent : ''; }
        if (navigator.clipboard) {
          navigator.clipboard.writeText(text || '').then(function () { b.textContent = 'copied'; }, function () { b.textContent = 'copy failed'; });
        }
      });
    });
  }

  document.querySelectorAll('table[data-live-rows]').forEach(live);
  document.querySelectorAll('[data-poll]').forEach(function (s) { if (s.getAttribute('data-done') !== 'true') { poll(s); } });
  copies();
})();
