/* The training report's small script (no library): the print button, and stepping through each replay with
   Anterior / Siguiente (or the arrow keys on the focused list). Without it the replay is the plain ordered list it is. */
(function () {
  "use strict";

  function stepper(replay) {
    var list = replay.querySelector("[data-replay-list], .replay-list");
    var items = list ? Array.prototype.slice.call(list.querySelectorAll("li[data-step]")) : [];
    var controls = replay.querySelector("[data-replay-controls]");
    if (!items.length || !controls) { return; }
    var prev = controls.querySelector("[data-replay-prev]");
    var next = controls.querySelector("[data-replay-next]");
    var position = controls.querySelector("[data-replay-position]");
    var axis = controls.querySelector("[data-replay-axis]");
    var current = 0;

    function show(index) {
      current = Math.max(0, Math.min(items.length - 1, index));
      items.forEach(function (li, i) {
        li.classList.toggle("current", i === current);
        if (i === current) { li.setAttribute("aria-current", "step"); } else { li.removeAttribute("aria-current"); }
      });
      var li = items[current];
      var offset = parseInt(li.getAttribute("data-offset"), 10) || 0;
      position.textContent = "Paso " + (current + 1) + " de " + items.length + " · " + li.getAttribute("data-clock") +
        " (+" + Math.floor(offset / 60) + ":" + ("0" + (offset % 60)).slice(-2) + ")";
      axis.value = offset;
      prev.disabled = current === 0;
      next.disabled = current === items.length - 1;
      // keep the step in view inside the list, without moving the page
      var top = li.offsetTop;  // the list is positioned: offsets are inside it
      if (top < list.scrollTop || top + li.offsetHeight > list.scrollTop + list.clientHeight) {
        list.scrollTop = top - list.clientHeight / 3;
      }
    }

    prev.addEventListener("click", function () { show(current - 1); });
    next.addEventListener("click", function () { show(current + 1); });
    items.forEach(function (li, i) { li.addEventListener("click", function () { show(i); }); });
    list.addEventListener("keydown", function (event) {
      var step = { ArrowDown: 1, ArrowRight: 1, ArrowUp: -1, ArrowLeft: -1 }[event.key];
      if (step) { event.preventDefault(); show(current + step); }
    });
    controls.hidden = false;
    replay.classList.add("stepping");
    show(0);
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-replay]"), stepper);
    Array.prototype.forEach.call(document.querySelectorAll("[data-print]"), function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
  });
})();
