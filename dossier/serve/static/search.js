// Autocomplete for the search box in every page's header: names matching what is typed so far,
// from /search?suggest=1 (JSON). Arrow keys move, Enter or a click on the row opens, Escape closes; without script the
// box is a plain form to /search.
(function () {
  "use strict";
  for (const form of document.querySelectorAll("form.search-box")) {
    const input = form.querySelector("input[name=q]");
    const list = form.querySelector("ul.suggestions");
    let shown = [], active = -1, asked = 0, timer = null;

    function close() { list.hidden = true; list.replaceChildren(); shown = []; active = -1; }
    function mark() {
      list.querySelectorAll("li").forEach((li, i) => li.setAttribute("aria-selected", i === active ? "true" : "false"));
    }
    async function suggest() {
      const q = input.value.trim();
      if (!q) { close(); return; }
      const ticket = ++asked;
      const response = await fetch("/search?suggest=1&q=" + encodeURIComponent(q), { headers: { Accept: "application/json" } });
      if (!response.ok || ticket !== asked) return;
      const data = await response.json();
      if (ticket !== asked) return;
      list.replaceChildren();
      shown = data.results;
      active = -1;
      for (const hit of shown) {
        const li = document.createElement("li");
        li.setAttribute("role", "option");
        const a = document.createElement("a");
        a.href = hit.href;
        a.textContent = hit.label;
        const kind = document.createElement("span");
        kind.className = "badge";
        kind.textContent = hit.type;
        li.append(a, " ", kind);
        // the whole row opens the entity, not only its name; on mousedown, before the box's blur closes the list
        li.addEventListener("mousedown", (event) => { event.preventDefault(); window.location.href = hit.href; });
        list.append(li);
      }
      list.hidden = shown.length === 0;
    }
    input.addEventListener("input", () => { clearTimeout(timer); timer = setTimeout(suggest, 80); });
    input.addEventListener("keydown", (event) => {
      if (list.hidden) return;
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        const step = event.key === "ArrowDown" ? 1 : -1;
        active = (active + step + shown.length) % shown.length;
        mark();
      } else if (event.key === "Enter" && active >= 0) {
        event.preventDefault();
        window.location.href = shown[active].href;
      } else if (event.key === "Escape") {
        close();
      }
    });
    input.addEventListener("blur", () => setTimeout(close, 200));
  }
})();
