/* The console's only script: keeps the marked parts of a page fresh without a reload (polling every second),
   reports what the customer's phone has shown, and sends the chat on Enter. No library, no build step. */
(function () {
  "use strict";
  var PERIOD_MS = 1000;

  function merge(container, html) {
    // Chat lists: append new bubbles (data-key), replace one whose state changed (ticks); never re-render the rest,
    // so the scroll position and the screen reader's place stay.
    var fresh = document.createElement("div");
    fresh.innerHTML = html;
    var newList = fresh.querySelector("ol");
    var oldList = container.querySelector("ol");
    if (!newList || !oldList) { container.innerHTML = html; return; }
    // The conversation changed state (the 24-hour window opened or closed, it was closed): the page around the
    // list (what can be sent) is stale, so the whole page is loaded again.
    var state = oldList.getAttribute("data-page-state");
    if (state && state !== newList.getAttribute("data-page-state")) { window.location.reload(); return; }
    var nearBottom = container.scrollHeight - container.scrollTop - container.clientHeight < 120;
    var existing = {};
    Array.prototype.forEach.call(oldList.children, function (li) { existing[li.getAttribute("data-key")] = li; });
    var added = false;
    Array.prototype.slice.call(newList.children).forEach(function (li) {
      var old = existing[li.getAttribute("data-key")];
      if (!old) { oldList.appendChild(li); added = true; }
      else if (old.getAttribute("data-state") !== li.getAttribute("data-state")) { oldList.replaceChild(li, old); }
    });
    if (added && nearBottom) { container.scrollTop = container.scrollHeight; }
  }

  function sameThing(from, to) {
    // A row stands for one conversation (data-conversation-id) or one item (data-key): another one is a new node.
    if (from.nodeName !== to.nodeName) { return false; }
    if (from.nodeType !== 1) { return true; }
    return from.getAttribute("data-conversation-id") === to.getAttribute("data-conversation-id") &&
      from.getAttribute("data-key") === to.getAttribute("data-key");
  }

  function morphChildren(from, to) {
    var olds = Array.prototype.slice.call(from.childNodes);
    var news = Array.prototype.slice.call(to.childNodes);
    news.forEach(function (fresh, i) {
      var old = olds[i];
      if (!old) { from.appendChild(fresh); }
      else if (sameThing(old, fresh)) { morph(old, fresh); }
      else { from.replaceChild(fresh, old); }
    });
    olds.slice(news.length).forEach(function (gone) { from.removeChild(gone); });
  }

  function morph(from, to) {
    // Brings `from` to what `to` shows, changing only what differs: a waiting time ticking every second leaves
    // the row's button the very node it was, so a click under way on it is never lost to a re-render.
    if (from.nodeType !== 1) {
      if (from.nodeValue !== to.nodeValue) { from.nodeValue = to.nodeValue; }
      return;
    }
    Array.prototype.slice.call(from.attributes).forEach(function (a) {
      if (!to.hasAttribute(a.name)) { from.removeAttribute(a.name); }
    });
    Array.prototype.forEach.call(to.attributes, function (a) {
      if (from.getAttribute(a.name) !== a.value) { from.setAttribute(a.name, a.value); }
    });
    morphChildren(from, to);
  }

  function replace(container, html) {
    // Tables: brought up to date when they changed, but not under the keyboard's focus (it would be lost).
    if (container.contains(document.activeElement) && document.activeElement !== container) { return; }
    if (container.getAttribute("data-last") !== html) {
      var fresh = document.createElement("div");
      fresh.innerHTML = html;
      morphChildren(container, fresh);
      container.setAttribute("data-last", html);
    }
  }

  var sendingReceipts = false;
  function receipts(container) {
    var url = container.getAttribute("data-receipts");
    if (!url || sendingReceipts || !container.querySelector("[data-unread]")) { return; }
    sendingReceipts = true;
    fetch(url, { method: "POST", credentials: "same-origin", headers: { "X-CSRF-Token": container.getAttribute("data-csrf") } })
      .finally(function () { sendingReceipts = false; });
  }

  function poll(container) {
    var url = container.getAttribute("data-poll");
    var mode = container.getAttribute("data-poll-mode");
    var period = parseInt(container.getAttribute("data-poll-ms"), 10) || PERIOD_MS;
    if (document.hidden) {  // a tab nobody looks at asks nothing (each ask is journalled by the systems)
      window.setTimeout(function () { poll(container); }, period);
      return;
    }
    fetch(url, { credentials: "same-origin", headers: { "Accept": "text/html" } })
      .then(function (response) {
        if (response.redirected || !response.ok) { return null; }
        return response.text();
      })
      .then(function (html) {
        if (html !== null) { (mode === "merge" ? merge : replace)(container, html); }
        receipts(container);
      })
      .catch(function () { /* the next round tries again */ })
      .finally(function () { window.setTimeout(function () { poll(container); }, period); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    // Signing in behind a router: the same sign-in posted again on the sandbox's replica (handoff.html).
    var handoff = document.querySelector("form[data-handoff]");
    if (handoff) { handoff.submit(); return; }
    Array.prototype.forEach.call(document.querySelectorAll("[data-poll]"), function (container) {
      if (container.getAttribute("data-poll-mode") === "merge") { container.scrollTop = container.scrollHeight; }
      receipts(container);
      window.setTimeout(function () { poll(container); }, PERIOD_MS);
    });
    var text = document.getElementById("text");
    if (text && text.form) {
      text.addEventListener("keydown", function (event) {
        if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
          event.preventDefault();
          if (text.value.trim()) { text.form.requestSubmit(); }
        }
      });
    }
  });
})();
