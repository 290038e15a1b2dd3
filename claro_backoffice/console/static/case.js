/* The typification notes' live counter: RR keeps 250 characters in the marking (longer notes go whole to the
   ESTRATEGICOS folder), AC's tickler takes 500 at most. Said to screen readers through the counter's aria-live. */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var notes = document.querySelector("textarea[data-limit]");
    var counter = notes && document.getElementById(notes.getAttribute("aria-describedby"));
    if (!counter) { return; }
    var limit = parseInt(notes.getAttribute("data-limit"), 10);
    var rr = notes.getAttribute("data-system") === "rr";
    function update() {
      var n = notes.value.length;
      var text = n + " / " + limit + " caracteres";
      if (rr) {
        text += n > limit
          ? " (RR): pasa de 250, la nota completa irá a la carpeta ESTRATEGICOS de RR."
          : " (RR). Más de 250: la nota completa va a la carpeta ESTRATEGICOS de RR.";
      } else {
        text += " (AC, máximo).";
      }
      counter.textContent = text;
      counter.classList.toggle("over", rr && n > limit);
    }
    notes.addEventListener("input", update);
    update();
  });
})();
