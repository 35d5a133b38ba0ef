/* The pipeline board, for managers: drag a card to another column, or focus it and press the
 * left or right arrow key. Either way the card's own move form is posted (its CSRF token and
 * version included), so the rules and the audit log are those of the form without JavaScript.
 * After a move the page reloads, so counts, totals and the flash message come from the server;
 * a move the rules refuse as it is (committed needs an amount, passed a reason) opens the move
 * page with that stage chosen. Without JavaScript the card's select and "Move" button remain. */
(function () {
  "use strict";

  var board = document.querySelector("[data-pipeline]");
  if (!board || !window.fetch || !window.FormData) {
    return;
  }
  var columns = Array.prototype.slice.call(board.querySelectorAll("[data-stage]:not(.deal-card)"));
  var stages = columns.map(function (column) { return column.getAttribute("data-stage"); });
  var status = document.getElementById("board-status");
  var help = document.getElementById("board-help");
  var FOCUS_KEY = "crm-pipeline-focus";
  var dragged = null;
  var busy = false;

  function say(template, card, stage) {
    var text = template.replace("{deal}", card.getAttribute("data-name"));
    if (stage) {
      text = text.replace("{stage}", columnFor(stage).getAttribute("data-label"));
    }
    if (status) {
      status.textContent = text;
    }
  }

  function columnFor(stage) {
    return columns[stages.indexOf(stage)];
  }

  function moveUrl(form, stage) {
    var params = new URLSearchParams({ stage: stage, next: form.elements.next.value });
    return form.getAttribute("action") + "?" + params.toString();
  }

  function move(card, stage) {
    var form = card.querySelector("form.deal-move");
    if (!form || busy || stage === card.getAttribute("data-stage") || stages.indexOf(stage) < 0) {
      return;
    }
    busy = true;
    say(board.getAttribute("data-moving"), card, stage);
    var data = new FormData(form);
    data.set("stage", stage);
    // Show the card in its new column at once; the reload brings the counts and totals.
    columnFor(stage).querySelector(".pipeline-cards").prepend(card);
    card.classList.add("deal-card-moving");
    card.setAttribute("aria-busy", "true");
    card.focus();
    try {
      window.sessionStorage.setItem(FOCUS_KEY, card.id);
    } catch (ignored) { /* private windows may refuse storage: the move still happens */ }
    fetch(form.getAttribute("action"), {
      method: "POST", body: data, credentials: "same-origin", redirect: "manual"
    }).then(function (response) {
      if (response.type === "opaqueredirect" || (response.status >= 300 && response.status < 400)) {
        window.location.reload();
      } else {
        // Refused as it is: the move page asks for what is missing and says why.
        window.location.assign(moveUrl(form, stage));
      }
    }).catch(function () {
      form.elements.stage.value = stage;
      form.submit();
    });
  }

  function neighbour(card, step) {
    var index = stages.indexOf(card.getAttribute("data-stage")) + step;
    return index >= 0 && index < stages.length ? stages[index] : null;
  }

  var cards = Array.prototype.slice.call(board.querySelectorAll(".deal-card"));
  cards.forEach(function (card) {
    if (!card.querySelector("form.deal-move")) {
      return;
    }
    card.setAttribute("tabindex", "0");
    card.setAttribute("draggable", "true");
    if (help) {
      card.setAttribute("aria-describedby", help.id);
    }
    card.addEventListener("keydown", function (event) {
      if (event.target !== card || event.altKey || event.ctrlKey || event.metaKey) {
        return;  // keys typed in the card's own select and button keep their meaning
      }
      var step = { ArrowLeft: -1, ArrowRight: 1 }[event.key];
      if (!step) {
        return;
      }
      event.preventDefault();
      var stage = neighbour(card, step);
      if (stage) {
        move(card, stage);
      } else {
        say(board.getAttribute(step < 0 ? "data-first" : "data-last"), card);
      }
    });
    card.addEventListener("dragstart", function (event) {
      dragged = card;
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", card.id);
      card.classList.add("deal-card-dragging");
    });
    card.addEventListener("dragend", function () {
      card.classList.remove("deal-card-dragging");
      columns.forEach(function (column) { column.classList.remove("drop-target"); });
      dragged = null;
    });
  });

  columns.forEach(function (column) {
    column.addEventListener("dragover", function (event) {
      if (dragged) {
        event.preventDefault();
        event.dataTransfer.dropEffect = "move";
        column.classList.add("drop-target");
      }
    });
    column.addEventListener("dragleave", function (event) {
      if (!column.contains(event.relatedTarget)) {
        column.classList.remove("drop-target");
      }
    });
    column.addEventListener("drop", function (event) {
      event.preventDefault();
      column.classList.remove("drop-target");
      var card = dragged || document.getElementById(event.dataTransfer.getData("text/plain"));
      if (card && board.contains(card)) {
        move(card, column.getAttribute("data-stage"));
      }
    });
  });

  if (help && cards.some(function (card) { return card.hasAttribute("draggable"); })) {
    help.hidden = false;
  }

  // After the reload: the moved card has the focus again, and the flash message is read out.
  var focusId = null;
  try {
    focusId = window.sessionStorage.getItem(FOCUS_KEY);
    window.sessionStorage.removeItem(FOCUS_KEY);
  } catch (ignored) { /* no storage, no refocus */ }
  var moved = focusId && document.getElementById(focusId);
  if (moved) {
    moved.focus();
    var flash = document.querySelector("#main .alert");
    if (flash && status) {
      window.setTimeout(function () { status.textContent = flash.textContent.trim(); }, 100);
    }
  }
}());
