// Swabline pages: the only script. Keeps a scanner field focused, prints,
// and keeps the queue board live over Server-Sent Events.
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
})();
