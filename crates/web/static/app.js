// Chancery reading room: optional enhancement only. Pages work without this script.
// A note reference never makes the reader lose their place: on wide screens it opens the
// whole margin note beside the reference (no jump to the list of notes); on screens too
// narrow for margin notes it opens the note in place (below its paragraph). Escape or the
// close button closes it and returns focus to the reference.
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

  function closeSidenotes() {
    var active = document.querySelectorAll(".sidenote.sn-open");
    for (var i = 0; i < active.length; i++) active[i].classList.remove("sn-open");
  }

  // Wide screens: the margin note beside the reference opens whole and lights up.
  function openSidenote(link) {
    var side = document.getElementById("sn-" + link.getAttribute("data-note"));
    if (!side) return false;
    var was = side.classList.contains("sn-open");
    closeSidenotes();
    if (!was) {
      side.classList.add("sn-open");
      var r = side.getBoundingClientRect();
      if (r.top < 0 || r.bottom > window.innerHeight) side.scrollIntoView({ block: "nearest" });
    }
    return true;
  }

  document.addEventListener("click", function (e) {
    var link = e.target.closest && e.target.closest("sup.noteref a");
    if (!link) return;
    if (wide.matches ? openSidenote(link) : open(link)) e.preventDefault();
  });

  document.addEventListener("keydown", function (e) {
    if (e.key !== "Escape") return;
    if (document.querySelector(".note-pop")) closeAll(true);
    closeSidenotes();
  });
})();

// A document's related documents are found by a search over its people and places, which
// costs several times the page itself: the page links to /related/{id}, and this fills the
// section in from /related/{id}?fragment once the page is shown. Without the script, the
// link opens the same list as a page.
(function () {
  "use strict";
  var section = document.querySelector("[data-related]");
  if (!section || !window.fetch || !window.DOMParser) return;
  var list = section.querySelector(".related-list");
  if (!list) return;
  section.setAttribute("aria-busy", "true");
  fetch(section.getAttribute("data-related"), { credentials: "same-origin" })
    .then(function (r) {
      if (!r.ok) throw new Error("HTTP " + r.status);
      return r.text();
    })
    .then(function (text) {
      var parsed = new DOMParser().parseFromString(text, "text/html");
      var nodes = Array.prototype.slice.call(parsed.body.childNodes);
      list.replaceChildren.apply(list, nodes);
    })
    .catch(function () {
      // the link to /related/{id} stays
    })
    .then(function () {
      section.removeAttribute("aria-busy");
    });
})();

// The issue page: a position's passage opens on hover and focus (CSS alone); Escape closes
// it for the focused position until focus or the pointer leaves it (WCAG 1.4.13).
(function () {
  "use strict";
  document.addEventListener("keydown", function (e) {
    if (e.key !== "Escape" || !document.activeElement || !document.activeElement.closest) return;
    var pos = document.activeElement.closest("li.position");
    if (pos) pos.classList.add("passage-closed");
  });
  function reopen(e) {
    var pos = e.target.closest && e.target.closest("li.position.passage-closed");
    if (pos && !pos.contains(e.relatedTarget)) pos.classList.remove("passage-closed");
  }
  document.addEventListener("focusout", reopen);
  document.addEventListener("mouseout", reopen);
})();

// The cite box's copy buttons (hidden without this script): copy the citation's text.
(function () {
  "use strict";
  var buttons = document.querySelectorAll("button.copy[data-copy]");
  if (!navigator.clipboard) return;
  for (var i = 0; i < buttons.length; i++) {
    var b = buttons[i];
    b.hidden = false;
    b.addEventListener("click", function (ev) {
      var button = ev.currentTarget;
      var target = document.getElementById(button.getAttribute("data-copy"));
      if (!target) return;
      navigator.clipboard.writeText(target.textContent.trim()).then(function () {
        button.textContent = "Copied";
        setTimeout(function () {
          button.textContent = "Copy";
        }, 2000);
      });
    });
  }
})();

// Wide screens: the issue ledger's marks yield to the margin notes. The marks are taken out
// of the margin's float flow (style.css), so the notes sit beside their references; each mark
// then moves down past any note (or earlier mark) it would cover. Again when a note opens
// or closes and when the window changes size.
(function () {
  "use strict";
  var wide = window.matchMedia("(min-width: 74rem)");
  function place() {
    var marks = document.querySelectorAll("section.text .ledger-mark");
    if (!marks.length) return;
    var i;
    for (i = 0; i < marks.length; i++) marks[i].style.marginTop = "";
    if (!wide.matches) return;
    var taken = [];
    var notes = document.querySelectorAll("section.text .sidenote");
    for (i = 0; i < notes.length; i++) {
      var n = notes[i].getBoundingClientRect();
      if (n.height > 0) taken.push({ top: n.top, bottom: n.bottom });
    }
    for (i = 0; i < marks.length; i++) {
      var r = marks[i].getBoundingClientRect();
      var top = r.top;
      var height = r.height;
      for (var guard = 0; guard < 200; guard++) {
        var clash = null;
        for (var j = 0; j < taken.length; j++) {
          if (top < taken[j].bottom + 6 && top + height > taken[j].top - 6) {
            clash = taken[j];
            break;
          }
        }
        if (!clash) break;
        top = clash.bottom + 8;
      }
      if (top !== r.top) marks[i].style.marginTop = top - r.top + "px";
      taken.push({ top: top, bottom: top + height });
    }
  }
  // Open in the margin on wide screens; in the text column of a narrower one, a closed
  // marker beside its passage (style.css floats it), never a block between paragraphs. The
  // marks of the list of notes stay open: they end their note's entry.
  function fold() {
    var folds = document.querySelectorAll(".ledger-mark details.ledger-fold");
    for (var i = 0; i < folds.length; i++) folds[i].open = wide.matches || !folds[i].closest("section.text");
  }
  fold();
  if (wide.addEventListener)
    wide.addEventListener("change", function () {
      fold();
      place();
    });
  window.addEventListener("load", place);
  window.addEventListener("resize", place);
  document.addEventListener("click", function () {
    window.setTimeout(place, 0);
  });
  document.addEventListener("keydown", function () {
    window.setTimeout(place, 0);
  });
  place();
})();
