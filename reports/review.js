// The review page's filters: labels, stack, search; expand and collapse;
// links to resources and to the notes on where sources differ.
// It reads data-* attributes only and writes text only (textContent,
// hidden, open, classes), so nothing from a template can become markup.
(function () {
  "use strict";
  var doc = document;
  var list = function (selector) { return Array.prototype.slice.call(doc.querySelectorAll(selector)); };
  var items = list("details.res").map(function (el) {
    return { el: el, s: el.getAttribute("data-s"), keys: el.getAttribute("data-l").split(" "), q: el.getAttribute("data-q") };
  });
  var stacks = list("section.stack");
  var boxes = list(".chips input");
  var stackSelect = doc.getElementById("stack");
  var search = doc.getElementById("q");
  var status = doc.getElementById("status");
  var empty = doc.getElementById("empty");
  var marked = [];

  function markRows(item, q) {
    var rows = item.el.querySelectorAll("tr[data-p]");
    var found = false;
    for (var i = 0; i < rows.length; i++) {
      if (rows[i].getAttribute("data-p").indexOf(q) !== -1) {
        rows[i].classList.add("hit");
        marked.push(rows[i]);
        found = true;
      }
    }
    if (found && !item.el.open) item.el.open = true;
  }

  function apply() {
    var on = {};
    boxes.forEach(function (box) {
      on[box.value] = box.checked;
      doc.body.classList.toggle("hide-" + box.value, !box.checked);
    });
    var stack = stackSelect ? stackSelect.value : "";
    var q = search.value.trim().toLowerCase();
    marked.forEach(function (row) { row.classList.remove("hit"); });
    marked = [];
    var shown = 0;
    for (var i = 0; i < items.length; i++) {
      var item = items[i];
      var ok = (!stack || item.s === stack) && (!q || item.q.indexOf(q) !== -1);
      if (ok) {
        ok = false;
        for (var k = 0; k < item.keys.length; k++) {
          if (on[item.keys[k]]) { ok = true; break; }
        }
      }
      if (item.el.hidden === ok) item.el.hidden = !ok;
      if (ok) {
        shown++;
        if (q) markRows(item, q);
      }
    }
    stacks.forEach(function (section) { section.hidden = !!stack && section.getAttribute("data-s") !== stack; });
    status.textContent = shown === items.length
      ? items.length + (items.length === 1 ? " resource" : " resources")
      : "showing " + shown + " of " + items.length + " resources";
    empty.hidden = shown > 0 || items.length === 0;
  }

  function reset() {
    boxes.forEach(function (box) { box.checked = true; });
    if (stackSelect) stackSelect.value = "";
    search.value = "";
    apply();
  }

  function setOpen(open) {
    items.forEach(function (item) { if (!item.el.hidden) item.el.open = open; });
  }

  var timer = null;
  boxes.forEach(function (box) { box.addEventListener("change", apply); });
  if (stackSelect) stackSelect.addEventListener("change", apply);
  search.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(apply, 80);
  });
  search.addEventListener("keydown", function (event) {
    if (event.key === "Escape") { search.value = ""; apply(); }
  });
  doc.getElementById("expand").addEventListener("click", function () { setOpen(true); });
  doc.getElementById("collapse").addEventListener("click", function () { setOpen(false); });
  doc.addEventListener("keydown", function (event) {
    var typing = /^(INPUT|SELECT|TEXTAREA)$/.test(doc.activeElement && doc.activeElement.tagName);
    if (event.key === "/" && !typing) { event.preventDefault(); search.focus(); }
  });
  list("a.jump").forEach(function (link) {
    link.addEventListener("click", function () {
      var target = doc.getElementById(link.getAttribute("href").slice(1));
      if (!target) return;
      if (target.hidden || target.closest("section.stack").hidden) reset();
      target.open = true;
    });
  });
  list("a.differ").forEach(function (link) {
    link.addEventListener("click", function () {
      var target = doc.getElementById(link.getAttribute("href").slice(1));
      if (target) target.closest("details").open = true;
    });
  });
  apply();
})();
