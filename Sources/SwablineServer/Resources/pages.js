// Swabline pages: the only script. Keeps a scanner field focused, prints,
// keeps the queue board live over Server-Sent Events, and refreshes the
// packing table and the courier's boxes.
(function () {
  var keep = document.querySelector('[data-keep-focus]');
  if (keep) {
    var refocus = function () {
      setTimeout(function () {
        var a = document.activeElement;
        if (!a || a === document.body || a === document.documentElement) keep.focus();
      }, 0);
    };
    document.addEventListener('focusout', refocus);
    document.addEventListener('click', refocus);
    window.addEventListener('focus', refocus);
  }
  // A chosen file is read into the form's text field, so the form posts as any other.
  document.querySelectorAll('input[type=file][data-into]').forEach(function (input) {
    input.addEventListener('change', function () {
      var file = input.files && input.files[0];
      if (!file) return;
      var reader = new FileReader();
      reader.onload = function () {
        var target = document.getElementById(input.dataset.into);
        try {
          target.value = new TextDecoder('utf-8', { fatal: true }).decode(reader.result);
        } catch (e) {
          // Not UTF-8 (a GBK export): keep the bytes' damage visible; the server refuses the U+FFFD.
          target.value = new TextDecoder('utf-8').decode(reader.result);
        }
      };
      reader.readAsArrayBuffer(file);
    });
  });
  document.querySelectorAll('[data-print]').forEach(function (b) {
    b.addEventListener('click', function () { window.print(); });
  });
  var board = document.querySelector('[data-events]');
  if (board && window.EventSource) {
    var source = new EventSource(board.getAttribute('data-events'));
    source.addEventListener('board', function (event) {
      var state = JSON.parse(event.data);
      state.stations.forEach(function (station) {
        var el = document.getElementById('called-' + station.id);
        if (el) el.textContent = station.called.join(' ');
      });
      document.getElementById('next').textContent = state.next.join(' ');
      document.getElementById('waiting').textContent = state.waiting;
      board.setAttribute('data-updated', String(Date.now()));
    });
  }
  // Packing table and courier: regions marked data-live are fetched again
  // every data-refresh seconds and swapped when they changed, unless someone
  // is typing in them. A session that ended shows the sign-in page.
  var refresh = document.querySelector('[data-refresh]');
  if (refresh && window.fetch && window.DOMParser) {
    var busy = function (el) {
      var a = document.activeElement;
      if (a && a !== document.body && el.contains(a) && a.tagName === 'INPUT') return true;
      return Array.prototype.some.call(el.querySelectorAll('input:not([type=hidden])'), function (i) { return i.value !== ''; });
    };
    // Every render has fresh form keys; only a change in what is shown counts.
    var sameButKeys = function (html) { return html.replace(/name="idempotency_key" value="[^"]*"/g, ''); };
    setInterval(function () {
      if (document.hidden) return;
      fetch(location.pathname + location.search, { credentials: 'same-origin', cache: 'no-store' }).then(function (reply) {
        if (reply.redirected) { location.href = reply.url; return null; }
        return reply.ok ? reply.text() : null;
      }).then(function (html) {
        if (!html) return;
        var fresh = new DOMParser().parseFromString(html, 'text/html');
        document.querySelectorAll('[data-live]').forEach(function (el) {
          var next = fresh.getElementById(el.id);
          if (next && sameButKeys(next.innerHTML) !== sameButKeys(el.innerHTML) && !busy(el)) el.innerHTML = next.innerHTML;
        });
        refresh.setAttribute('data-updated', String(Date.now()));
      }).catch(function () {});
    }, (Number(refresh.getAttribute('data-refresh')) || 5) * 1000);
  }
})();
