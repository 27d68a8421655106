// Chancery reading room: optional enhancement only. Pages work without this script.
// On screens too narrow for margin notes, a note reference opens the note in place (below
// its paragraph) instead of jumping to the list of notes; Escape or the close button closes
// it and returns focus to the reference.
(function () {
  "use strict";
  var wide = window.matchMedia("(min-width: 74rem)");

  function closeAll(returnFocus) {
    var open = document.querySelectorAll(".note-pop");
    for (var i = 0; i < open.length; i++) {
      var ref = document.getElementById(open[i].getAttribute("data-ref"));
      open[i].remove();
      if (ref) {
        ref.setAttribute("aria-expanded", "false");
        if (returnFocus) ref.focus();
      }
    }
  }

  function open(link) {
    var id = link.getAttribute("href").slice(1);
    var note = document.getElementById(id);
    if (!note) return false;
    var already = document.querySelector('.note-pop[data-ref="' + link.id + '"]');
    closeAll(false);
    if (already) return true;
    var pop = document.createElement("div");
    pop.className = "note-pop";
    pop.setAttribute("role", "note");
    pop.setAttribute("tabindex", "-1");
    pop.setAttribute("data-ref", link.id);
    var content = note.cloneNode(true);
    content.removeAttribute("id");
    var back = content.querySelectorAll(".backref");
    for (var i = 0; i < back.length; i++) back[i].remove();
    while (content.firstChild) pop.appendChild(content.firstChild);
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "Close";
    close.setAttribute("aria-label", "Close note " + link.textContent);
    close.addEventListener("click", function () {
      closeAll(true);
    });
    pop.appendChild(close);
    var block = link.closest("p, li, td, blockquote, h2, h3") || link.parentNode;
    if (block.tagName === "LI" || block.tagName === "TD") block.appendChild(pop);
    else block.insertAdjacentElement("afterend", pop);
    link.setAttribute("aria-expanded", "true");
    pop.focus();
    return true;
  }

  document.addEventListener("click", function (e) {
    var link = e.target.closest && e.target.closest("sup.noteref a");
    if (!link || wide.matches) return;
    if (open(link)) e.preventDefault();
  });

  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && document.querySelector(".note-pop")) closeAll(true);
  });
})();
