// The episode page's behaviour: seek buttons, the current segment while playing, and the transcript filter.
// Served as a file ('self') so the page's Content-Security-Policy can forbid every inline script.
(function () {
  "use strict";
  var player = document.getElementById("player");
  var transcript = document.getElementById("transcript");
  if (!player || !transcript) {
    return;
  }

  var segments = Array.prototype.slice.call(transcript.querySelectorAll("li.segment"));
  var starts = segments.map(function (s) { return parseFloat(s.getAttribute("data-start")); });
  var ends = segments.map(function (s) { return parseFloat(s.getAttribute("data-end")); });
  var current = null;

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button.seek") : null;
    if (!button) {
      return;
    }

    var start = parseFloat(button.getAttribute("data-start"));
    if (isFinite(start)) {
      player.currentTime = start;
      var playing = player.play();
      if (playing && playing.catch) {
        playing.catch(function () { /* autoplay refused: the seek stands */ });
      }
      highlight(start);
    }
  });

  // The last segment that starts at or before t, if t is before its end.
  function segmentAt(t) {
    var lo = 0, hi = starts.length - 1, found = -1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1;
      if (starts[mid] <= t) { found = mid; lo = mid + 1; } else { hi = mid - 1; }
    }
    return found >= 0 && t < ends[found] ? segments[found] : null;
  }

  function highlight(t) {
    var next = segmentAt(t);
    if (next === current) {
      return;
    }
    if (current) {
      current.classList.remove("current");
      current.removeAttribute("aria-current");
    }
    current = next;
    if (current) {
      current.classList.add("current");
      current.setAttribute("aria-current", "true");
    }
  }

  player.addEventListener("timeupdate", function () { highlight(player.currentTime); });
  player.addEventListener("seeked", function () { highlight(player.currentTime); });

  // Filter: hide segments without the word and mark it in the others. Text is handled as text nodes
  // only (never innerHTML), so transcript text can never become markup.
  var filter = document.getElementById("filter");
  var status = document.getElementById("filter-status");
  var texts = segments.map(function (s) { var t = s.querySelector(".text"); return t ? t.textContent : ""; });

  function apply() {
    var query = filter.value.trim().toLowerCase();
    var matches = 0;
    segments.forEach(function (segment, i) {
      var span = segment.querySelector(".text");
      var text = texts[i];
      while (span.firstChild) { span.removeChild(span.firstChild); }
      var at = query ? text.toLowerCase().indexOf(query) : -1;
      if (!query) {
        span.appendChild(document.createTextNode(text));
        segment.hidden = false;
        return;
      }
      segment.hidden = at < 0;
      if (at < 0) {
        span.appendChild(document.createTextNode(text));
        return;
      }
      matches++;
      var from = 0, lower = text.toLowerCase();
      while (at >= 0) {
        span.appendChild(document.createTextNode(text.slice(from, at)));
        var mark = document.createElement("mark");
        mark.textContent = text.slice(at, at + query.length);
        span.appendChild(mark);
        from = at + query.length;
        at = lower.indexOf(query, from);
      }
      span.appendChild(document.createTextNode(text.slice(from)));
    });
    status.textContent = query ? matches + " of " + segments.length + " segments" : "";
  }

  if (filter) {
    filter.addEventListener("input", apply);
  }
})();
