// The reviewer's workspace. It reads and writes through the project's REST
// API with the admin's session, so the admin and the API share one write path.
//
// Offsets: the service counts Unicode code points (Python's text[start:end]);
// the browser's selections count UTF-16 code units. Every piece of text on the
// page carries its code-point start (data-start), and a selection is converted
// by counting the code points of the UTF-16 prefix it covers.
"use strict";

(function () {
  const root = document.getElementById("workspace");
  const textBox = document.getElementById("ws-text");
  const editor = document.getElementById("ws-editor");
  const form = document.getElementById("ws-form");
  const claimForm = document.getElementById("ws-claim-form");
  const canReview = root.dataset.canReview === "true";
  let doc = null;
  let current = -1; // index of the chosen statement
  // The focused item of the chosen statement, {type, id}: what the keys a and
  // r act on. It starts on the first suggestion waiting there, and moves with
  // Tab or a click.
  let focused = null;
  const spans = { source_span: null, cue: null };

  const codePoints = (s) => Array.from(s).length;
  // The kinds' labels, as the form's options name them.
  const KIND_LABELS = Object.fromEntries(
    Array.from(form.elements.kind.options, (option) => [option.value, option.textContent]));

  // Below 1000 px the admin's sidebar starts folded, so that the text keeps
  // its width; the toggle still opens it, and the reviewer's saved choice
  // for wider screens is left as it was.
  document.addEventListener("DOMContentLoaded", () => {
    const main = document.getElementById("main");
    const toggle = document.getElementById("toggle-nav-sidebar");
    if (!toggle || !main || !main.classList.contains("shifted")) return;
    if (!window.matchMedia("(max-width: 999px)").matches) return;
    const saved = localStorage.getItem("django.admin.navSidebarIsOpen");
    toggle.click();
    if (saved === null) localStorage.removeItem("django.admin.navSidebarIsOpen");
    else localStorage.setItem("django.admin.navSidebarIsOpen", saved);
  });

  function csrfToken() {
    const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  async function api(path, { method = "GET", body, etag } = {}) {
    const headers = { Accept: "application/json" };
    if (body !== undefined) headers["Content-Type"] = "application/json";
    if (method !== "GET") headers["X-CSRFToken"] = csrfToken();
    if (etag) headers["If-Match"] = etag;
    const response = await fetch(path, {
      method, headers, credentials: "same-origin",
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const data = response.status === 204 ? null : await response.json();
    if (!response.ok) throw new Error(data && data.message ? data.message : response.statusText);
    return data;
  }

  // The statement's look: the kind of its accepted attribution; otherwise
  // suggested (waiting) or unattributed.
  function look(statement) {
    const accepted = statement.attributions.find((a) => a.status === "accepted");
    // An accepted statement with a suggestion still waiting shows both.
    const waiting = statement.attributions.some((a) => a.status === "suggested");
    if (accepted) return "kind-" + accepted.kind + (waiting ? " also-suggested" : "");
    if (statement.attributions.some((a) => a.status === "suggested")) return "suggested";
    return "unattributed";
  }

  // Split the text at every statement and mark boundary; each piece is a span
  // carrying its code-point start, inside its statement's span if it has one.
  function render() {
    const text = Array.from(doc.text); // one element per code point
    const marks = [];
    for (const st of doc.statements) {
      for (const a of st.attributions) {
        if (a.status === "rejected") continue;
        if (a.cue) marks.push([a.cue.start, a.cue.end, "cue"]);
        if (a.source_span) marks.push([a.source_span.start, a.source_span.end, "source"]);
      }
    }
    const cuts = new Set([0, text.length]);
    for (const st of doc.statements) { cuts.add(st.start); cuts.add(st.end); }
    for (const [s, e] of marks) { cuts.add(s); cuts.add(e); }
    const points = [...cuts].sort((a, b) => a - b);
    textBox.textContent = "";
    let statementIndex = 0;
    let holder = textBox;
    for (let i = 0; i + 1 < points.length; i++) {
      const [start, end] = [points[i], points[i + 1]];
      while (statementIndex < doc.statements.length && doc.statements[statementIndex].end <= start) statementIndex++;
      const st = doc.statements[statementIndex];
      const inside = st && st.start <= start && end <= st.end;
      if (inside && (holder === textBox || holder.dataset.index !== String(statementIndex))) {
        holder = document.createElement("span");
        holder.className = "st " + look(st) + (statementIndex === current ? " selected" : "");
        holder.dataset.index = statementIndex;
        holder.id = "statement-" + st.id;
        holder.tabIndex = -1;
        textBox.appendChild(holder);
      } else if (!inside) {
        holder = textBox;
      }
      const piece = document.createElement("span");
      piece.dataset.start = start;
      piece.textContent = text.slice(start, end).join("");
      const classes = marks.filter(([s, e]) => s <= start && end <= e).map((m) => m[2]);
      if (classes.length) piece.className = "mark " + [...new Set(classes)].join(" ");
      holder.appendChild(piece);
    }
  }

  // The code-point offset of a DOM position inside the text box. The box's
  // text is exactly the document's, so it is the number of code points from
  // the box's start to there (whether the browser names a text node and a
  // UTF-16 offset in it, or an element and a child index).
  function offsetOf(node, offset) {
    if (!textBox.contains(node)) return null;
    const before = document.createRange();
    before.setStart(textBox, 0);
    before.setEnd(node, offset);
    return codePoints(before.toString());
  }

  function selectionSpan() {
    const selection = window.getSelection();
    if (!selection.rangeCount || selection.isCollapsed) return null;
    const range = selection.getRangeAt(0);
    let start = offsetOf(range.startContainer, range.startOffset);
    let end = offsetOf(range.endContainer, range.endOffset);
    if (start === null || end === null) return null;
    // Trim the whitespace a double-click or a drag picks up at either end.
    const text = Array.from(doc.text);
    while (start < end && /\s/.test(text[start])) start++;
    while (end > start && /\s/.test(text[end - 1])) end--;
    return start < end ? { start, end } : null;
  }

  function spanText(span) {
    return span ? `“${Array.from(doc.text).slice(span.start, span.end).join("")}” [${span.start}, ${span.end})` : "none";
  }

  function showSpans() {
    for (const name of Object.keys(spans)) form.elements[name].value = spanText(spans[name]);
  }

  function fillForm(attribution) {
    form.elements.id.value = attribution ? attribution.id : "";
    // The version this page shows: the API refuses the write (412) if someone
    // has changed the attribution since, rather than overwrite their work.
    form.elements.version.value = attribution ? attribution.version : "";
    form.elements.kind.value = attribution ? attribution.kind : "indirect";
    form.elements.source.value = attribution && attribution.source ? attribution.source.name : "";
    form.elements.via.value = attribution && attribution.via ? attribution.via.name : "";
    form.elements.primary_source_url.value = attribution ? attribution.primary_source_url : "";
    spans.source_span = attribution ? attribution.source_span : null;
    spans.cue = attribution ? attribution.cue : null;
    document.getElementById("ws-form-title").textContent = attribution ? "Correct attribution" : "New attribution";
    document.getElementById("ws-form-error").hidden = true;
    showSpans();
  }

  function choose(index) {
    if (!doc || index < 0 || index >= doc.statements.length) return;
    current = index;
    const st = doc.statements[index];
    render();
    editor.hidden = false;
    document.getElementById("ws-editor-title").textContent = `Statement ${index + 1} of ${doc.statements.length}`;
    document.getElementById("ws-statement-text").textContent = st.text;
    const list = document.getElementById("ws-attributions");
    list.textContent = "";
    for (const a of st.attributions) {
      const box = itemBox("attribution", a, canReview ? (a.status === "suggested" ? ["accept", "reject", "edit"] : ["edit"]) : []);
      box.className = "ws-attr ws-item status-" + a.status;
      box.innerHTML = `<span class="kind"></span> · <span class="source"></span> · <span class="status"></span><span class="confidence"></span> `;
      box.querySelector(".kind").textContent = KIND_LABELS[a.kind] || a.kind;
      box.querySelector(".source").textContent = a.source ? a.source.name : "the document";
      // How sure the suggester was, beside what it suggested.
      if (a.confidence !== null && a.confidence !== undefined) {
        box.querySelector(".confidence").textContent = ` · ${Math.round(a.confidence * 100)}% confident`;
      }
      box.querySelector(".status").textContent = a.status + attributionWho(a);
      addButtons(box);
      list.appendChild(box);
    }
    fillForm(st.attributions.find((a) => a.status !== "rejected") || null);
    showMentions(st);
    showSimilar(st);
    focusItem(focused && find(st, focused) ? focused : firstWaiting(st), false);
    document.getElementById("statement-" + st.id).scrollIntoView({ block: "nearest" });
  }

  async function reload() {
    doc = await api(root.dataset.api);
    render();
    if (current >= 0) choose(current);
  }

  // Who made it, and once decided, who decided and when (the review record).
  function attributionWho(a) {
    const made = a.created_by ? ` (${a.created_by})` : "";
    if (!a.reviewed_by) return made;
    const day = a.reviewed_at ? ` on ${a.reviewed_at.slice(0, 10)}` : "";
    return `${made} · by ${a.reviewed_by}${day}`;
  }

  // Items of the chosen statement that a reviewer decides on: its
  // attributions and its claim mentions, each a box with its buttons.
  const RESOURCES = { attribution: "/api/attributions/", mention: "/api/claim-mentions/" };

  function itemBox(type, item, actions) {
    const box = document.createElement("div");
    box.dataset.type = type;
    box.dataset.id = item.id;
    box.tabIndex = 0; // Tab moves the focus from item to item
    box.actions = actions.map((action) => [action, () => act(action, type, item)]);
    // focusin: a click on the box or on one of its buttons focuses it too.
    box.addEventListener("focusin", () => focusItem({ type, id: item.id }, false));
    return box;
  }

  function addButtons(box) {
    for (const [action, run] of box.actions) {
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = action;
      button.dataset.action = action;
      button.addEventListener("click", run);
      box.appendChild(button);
    }
  }

  function find(st, { type, id }) {
    const items = type === "mention" ? st.mentions : st.attributions;
    return items.find((item) => item.id === id) || null;
  }

  function firstWaiting(st) {
    const attribution = st.attributions.find((a) => a.status === "suggested");
    if (attribution) return { type: "attribution", id: attribution.id };
    const mention = st.mentions.find((m) => m.status === "suggested");
    return mention ? { type: "mention", id: mention.id } : null;
  }

  function itemElement(item) {
    return item && editor.querySelector(`.ws-item[data-type="${item.type}"][data-id="${item.id}"]`);
  }

  function focusItem(item, moveFocus = true) {
    for (const box of editor.querySelectorAll(".ws-item.focused")) box.classList.remove("focused");
    focused = item;
    const box = itemElement(item);
    if (!box) return;
    box.classList.add("focused");
    if (moveFocus) box.focus({ preventScroll: true });
  }

  // The keys a and r: accept or reject the focused item.
  function decideFocused(action) {
    const box = itemElement(focused);
    const found = box && box.actions.find(([name]) => name === action);
    if (found) found[1]();
  }

  async function act(action, type, item) {
    if (action === "edit") { fillForm(item); return; }
    const path = RESOURCES[type] + item.id + "/";
    try {
      if (action === "unlink") await api(path, { method: "DELETE", etag: `"${item.version}"` });
      else await api(`${path}${action}/`, { method: "POST", etag: `"${item.version}"` });
      focused = null; // decided: the focus goes to the next waiting item
      await reload();
    } catch (error) { await failed(error); }
  }

  // Show what is stored now, then say why the write was refused (a 412 means
  // someone else changed it first).
  async function failed(error) {
    await reload().catch(() => {});
    showError(error);
  }

  function showError(error) {
    const box = document.getElementById("ws-form-error");
    box.textContent = error.message;
    box.hidden = false;
  }

  async function save(event) {
    event.preventDefault();
    const st = doc.statements[current];
    try {
      // Sources by the words typed: the server finds the source of that name
      // or alias as it normalises names, or creates it, with the attribution.
      const body = {
        kind: form.elements.kind.value,
        source_name: form.elements.source.value.trim(),
        via_name: form.elements.via.value.trim(),
        source_span: spans.source_span,
        cue: spans.cue,
        primary_source_url: form.elements.primary_source_url.value,
      };
      const id = form.elements.id.value;
      if (id) {
        await api(`/api/attributions/${id}/`, { method: "PATCH", body, etag: `"${form.elements.version.value}"` });
      } else {
        await api("/api/attributions/", { method: "POST", body: { ...body, statement: st.id } });
      }
      await reload();
    } catch (error) { await failed(error); }
  }

  // The statement's claims: each link with its review status; suggested
  // ones wait for accept or reject, any can be unlinked.
  function showMentions(st) {
    const list = document.getElementById("ws-claims");
    list.textContent = "";
    for (const m of st.mentions) {
      const actions = !canReview ? [] : {
        suggested: ["accept", "reject", "unlink"],
        accepted: ["reject", "unlink"],
        rejected: ["accept", "unlink"],
      }[m.status];
      const box = itemBox("mention", m, actions);
      box.className = "ws-mention ws-item status-" + m.status;
      box.innerHTML = `<span class="claim"></span> · <span class="status"></span> `;
      box.querySelector(".claim").textContent = m.claim_text;
      box.querySelector(".status").textContent = m.status + (m.reviewed_by ? ` (${m.reviewed_by})` : "");
      addButtons(box);
      const item = document.createElement("li");
      item.appendChild(box);
      list.appendChild(item);
    }
  }

  // Has this been checked? The statement's most similar known claims, with
  // their verdicts; one click links one (an accepted, manual mention).
  async function showSimilar(st) {
    const list = document.getElementById("ws-similar");
    const method = document.getElementById("ws-similar-method");
    list.textContent = "";
    method.textContent = "Looking for similar claims…";
    let found;
    try {
      found = await api(`/api/statements/${st.id}/similar-claims/?limit=5`);
    } catch (error) { method.textContent = error.message; return; }
    if (doc.statements[current] !== st) return; // another statement was chosen since
    const linked = new Set(st.mentions.map((m) => m.claim));
    method.textContent = found.results.length
      ? `Ranked ${found.method === "semantic" ? "by words and meaning" : "by words"}.`
      : "No known claim is like this statement.";
    for (const result of found.results) {
      const item = document.createElement("li");
      item.className = "ws-similar-claim";
      item.dataset.claim = result.id;
      const text = document.createElement("span");
      text.textContent = result.text;
      const verdict = document.createElement(result.verdict ? "a" : "span");
      verdict.className = "verdict";
      if (result.verdict) {
        verdict.href = result.verdict.url;
        verdict.textContent = `${result.verdict.label} (${result.verdict.published_at.slice(0, 10)})`;
      } else {
        verdict.textContent = "not checked yet";
      }
      item.append(text, " · ", verdict, " ");
      if (linked.has(result.id)) {
        item.append("linked");
      } else if (canReview) {
        const button = document.createElement("button");
        button.type = "button";
        button.textContent = "link";
        button.addEventListener("click", async () => {
          try {
            await api("/api/claim-mentions/", { method: "POST", body: { claim: result.id, statement: st.id } });
            await reload();
          } catch (error) { await failed(error); }
        });
        item.appendChild(button);
      }
      list.appendChild(item);
    }
  }

  async function addClaim(event) {
    event.preventDefault();
    const st = doc.statements[current];
    const text = claimForm.elements.claim.value.trim();
    if (!text) return;
    try {
      // The claim of this wording, proposed or not, or a new one: the server's.
      await api("/api/claim-mentions/", { method: "POST", body: { claim_text: text, statement: st.id } });
      claimForm.elements.claim.value = "";
      await reload();
    } catch (error) { showError(error); }
  }

  // Autocomplete: names and aliases of sources, texts of claims.
  async function suggest(input, path, datalist, label) {
    const term = input.value.trim();
    if (term.length < 2) return;
    const found = await api(`${path}?search=${encodeURIComponent(term)}&page_size=20`);
    datalist.textContent = "";
    for (const item of found.results) {
      for (const value of label(item)) {
        const option = document.createElement("option");
        option.value = value;
        datalist.appendChild(option);
      }
    }
  }

  textBox.addEventListener("click", (event) => {
    if (!window.getSelection().isCollapsed) return; // selecting words, not choosing
    const holder = event.target.closest(".st");
    if (holder) choose(Number(holder.dataset.index));
  });
  form.addEventListener("submit", save);
  claimForm.addEventListener("submit", addClaim);
  document.getElementById("ws-new").addEventListener("click", () => fillForm(null));
  form.addEventListener("click", (event) => {
    const name = event.target.dataset.span || event.target.dataset.clear;
    if (!name) return;
    spans[name] = event.target.dataset.span ? selectionSpan() : null;
    showSpans();
  });
  for (const name of ["source", "via"]) {
    form.elements[name].addEventListener("input", (event) =>
      suggest(event.target, "/api/sources/", document.getElementById("ws-sources"), (s) => [s.name, ...s.aliases]));
  }
  claimForm.elements.claim.addEventListener("input", (event) =>
    suggest(event.target, "/api/claims/", document.getElementById("ws-claim-list"), (c) => [c.text]));
  document.addEventListener("keydown", (event) => {
    if (event.target.closest("input, select, textarea")) return;
    if (event.key === "j" || event.key === "ArrowDown") { choose(current + 1); event.preventDefault(); }
    if (event.key === "k" || event.key === "ArrowUp") { choose(Math.max(current - 1, 0)); event.preventDefault(); }
    if (current < 0 || !canReview) return;
    if (event.key === "a") { decideFocused("accept"); event.preventDefault(); }
    if (event.key === "r") { decideFocused("reject"); event.preventDefault(); }
  });

  reload()
    .then(() => {
      // A link to one statement (#statement-<id>, from the claim timeline or
      // the source page) opens it once the text is there.
      const linked = /^#statement-(\d+)$/.exec(window.location.hash);
      const index = linked ? doc.statements.findIndex((st) => String(st.id) === linked[1]) : -1;
      if (index >= 0) choose(index);
    })
    .catch((error) => { textBox.textContent = "Could not load the document: " + error.message; });
})();
