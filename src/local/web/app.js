// The emulator page: renders the workspace state and sends what you type as a person would.
const $ = (id) => document.getElementById(id);
let state = null;
let current = null; // channel id
let openThread = null; // ts
let showingHome = false;
let shownModal = null; // "id:hash" of the modal on screen: what was typed survives refreshes until the view itself changes

async function refresh() {
  state = await (await fetch("/_local/state")).json();
  if (!current) current = state.channels[0].id;
  render();
}

function escapeHtml(s) {
  return s.replace(/&(?!(amp|lt|gt);)/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** Basic mrkdwn: Slack escapes &<> itself, so links and mentions are the only angle-bracket forms. */
function mrkdwn(text) {
  const parts = [];
  let html = text.replace(/```([\s\S]*?)```/g, (_, code) => `\u0000${parts.push(`<pre>${escapeHtml(code)}</pre>`) - 1}\u0000`);
  html = html.replace(/`([^`\n]+)`/g, (_, code) => `\u0000${parts.push(`<code>${escapeHtml(code)}</code>`) - 1}\u0000`);
  html = html.replace(/<@(\w+)(\|[^>]*)?>/g, (_, id) => `\u0001${id}\u0001`);
  html = html.replace(/<(https?:[^|>]+)\|([^>]+)>/g, (_, url, label) => `\u0002${url}\u0003${label}\u0002`);
  html = html.replace(/<(https?:[^>]+)>/g, (_, url) => `\u0002${url}\u0003${url}\u0002`);
  html = escapeHtml(html)
    .replace(/&amp;lt;/g, "&lt;").replace(/&amp;gt;/g, "&gt;")
    .replace(/(^|[\s(])\*([^*\n]+)\*/g, "$1<b>$2</b>")
    .replace(/(^|[\s(])_([^_\n]+)_/g, "$1<i>$2</i>")
    .replace(/(^|[\s(])~([^~\n]+)~/g, "$1<s>$2</s>")
    .replace(/:(large_green_circle|large_yellow_circle|red_circle|white_circle):/g, (_, name) => `<span class="dot ${name}" title=":${name}:"></span>`)
    .replace(/\u0001(\w+)\u0001/g, (_, id) => `<span class="mention">@${state.people[id]?.name ?? id}</span>`)
    .replace(/\u0002([^\u0003]+)\u0003([^\u0002]+)\u0002/g, (_, url, label) => `<a href="${url}" target="_blank" rel="noreferrer">${label}</a>`);
  return html.replace(/\u0000(\d+)\u0000/g, (_, i) => parts[Number(i)]);
}

function attr(s) {
  return escapeHtml(String(s ?? "")).replace(/"/g, "&quot;");
}

/**
 * A clickable element of a message: a click posts it to the emulator, which sends the app a signed
 * block_actions payload. Outside a message (the Home tab) buttons are shown but not wired up.
 */
function actionButton(m, actionId, value, label, extra = "") {
  const data = m ? ` data-click data-channel-id="${attr(m.channel)}" data-ts="${attr(m.ts)}" data-action-id="${attr(actionId)}"${value === undefined ? "" : ` data-value="${attr(value)}"`}` : " disabled";
  return `<button type="button" class="block-button${extra}"${data}>${escapeHtml(label ?? "")}</button>`;
}

function renderElements(b, m) {
  return (b.elements ?? [])
    .map((e) => {
      if (e.type === "button") return actionButton(m, e.action_id, e.value, e.text?.text, e.style ? ` ${e.style}` : "");
      if (e.type === "icon_button") return actionButton(m, e.action_id, e.value, e.text?.text);
      if (e.type === "feedback_buttons") {
        return [e.positive_button, e.negative_button]
          .filter(Boolean)
          .map((btn) => actionButton(m, e.action_id, btn.value, btn.text?.text, " feedback").replace("<button", `<button aria-label="${attr(btn.accessibility_label ?? btn.text?.text)}"`))
          .join("");
      }
      return "";
    })
    .join("");
}

function renderBlocks(blocks, m) {
  return blocks
    .map((b) => {
      if (b.type === "section") return `<div class="text">${mrkdwn(b.text?.text ?? "")}</div>`;
      if (b.type === "header") return `<div class="block-header">${escapeHtml(b.text?.text ?? "")}</div>`;
      if (b.type === "divider") return `<hr class="block-divider">`;
      if (b.type === "context") return `<div class="block-context">${(b.elements ?? []).map((e) => mrkdwn(e.text ?? "")).join(" ")}</div>`;
      if (b.type === "actions") return `<div class="block-actions" data-testid="block-actions">${renderElements(b, m)}</div>`;
      if (b.type === "context_actions") return `<div class="block-context-actions" data-testid="context-actions">${renderElements(b, m)}</div>`;
      return "";
    })
    .join("");
}

function messageHtml(m, inThread) {
  const isBot = Boolean(m.bot_id);
  const name = isBot ? "Piper" : state.people[m.user]?.realName ?? m.user;
  const body = m.blocks?.length ? renderBlocks(m.blocks, m) : `<div class="text">${mrkdwn(m.text)}</div>`;
  const replies = inThread ? 0 : replyCount(m);
  const when = new Date(Number(m.ts) * 1000).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
  return `<div class="message${m.ephemeral ? " ephemeral" : ""}" data-testid="${inThread ? "thread-reply" : "message"}" data-ts="${m.ts}" data-bot="${isBot}">
    <span class="avatar${isBot ? " bot" : ""}">${name[0]}</span>
    <div><div><span class="who">${escapeHtml(name)}</span>${isBot ? '<span class="app-tag">APP</span>' : ""}<span class="when">${when}</span>
      ${m.ephemeral ? '<span class="when"> · only visible to you</span>' : ""}${m.edited ? '<span class="edited"> (edited)</span>' : ""}</div>
      ${body}
      ${replies ? `<button class="replies" data-testid="open-thread" data-ts="${m.ts}">${replies} ${replies === 1 ? "reply" : "replies"}</button>` : ""}
    </div></div>`;
}

function replyCount(m) {
  return (state.messages[current] ?? []).filter((r) => r.thread_ts === m.ts && r.ts !== m.ts).length;
}

function render() {
  const link = (c) => `<a href="#" data-channel="${c.id}" class="${c.id === current && !showingHome ? "active" : ""}">${c.kind === "im" ? '<span class="avatar bot">P</span> Piper' : `# ${c.name}${c.kind === "private" ? " <span class=\"hint-inline\">private</span>" : ""}`}</a>`;
  $("channels").innerHTML = state.channels.filter((c) => c.kind !== "im").map(link).join("");
  $("dms").innerHTML = state.channels.filter((c) => c.kind === "im").map(link).join("");
  $("home-link").classList.toggle("active", showingHome);
  const channel = state.channels.find((c) => c.id === current);
  $("title").textContent = showingHome ? "Piper — Home" : channel.kind === "im" ? "Piper" : `#${channel.name}`;
  $("messages").hidden = showingHome;
  $("composer").hidden = showingHome;
  $("home").hidden = !showingHome;
  if (showingHome) {
    $("home").innerHTML = state.home ? renderBlocks(state.home.blocks ?? []) : "<p>Opening the Home tab…</p>";
  } else {
    const top = (state.messages[current] ?? []).filter((m) => !m.thread_ts || m.thread_ts === m.ts);
    $("messages").innerHTML = top.map((m) => messageHtml(m, false)).join("");
    $("messages").scrollTop = $("messages").scrollHeight;
  }
  $("thread").hidden = !openThread || showingHome;
  if (openThread) {
    const thread = (state.messages[current] ?? []).filter((m) => m.ts === openThread || m.thread_ts === openThread);
    $("thread-messages").innerHTML = thread.map((m) => messageHtml(m, true)).join("");
  }
  renderModal();
}

/** A modal's input block: its field carries the block and action ids the submission is keyed by. */
function inputHtml(b) {
  const el = b.element ?? {};
  const ids = `data-block-id="${attr(b.block_id)}" data-action-id="${attr(el.action_id)}"${b.optional ? "" : " required"}`;
  let field = `<span class="hint-inline">(${escapeHtml(String(el.type))} is not shown here)</span>`;
  if (el.type === "plain_text_input") {
    field = el.multiline
      ? `<textarea ${ids} rows="5" placeholder="${attr(el.placeholder?.text)}">${escapeHtml(el.initial_value ?? "")}</textarea>`
      : `<input ${ids} value="${attr(el.initial_value)}" placeholder="${attr(el.placeholder?.text)}">`;
  } else if (el.type === "static_select" || el.type === "multi_static_select") {
    const multi = el.type === "multi_static_select";
    const chosen = new Set((multi ? el.initial_options ?? [] : [el.initial_option]).filter(Boolean).map((o) => o.value));
    const options = (el.options ?? []).map((o) => `<option value="${attr(o.value)}"${chosen.has(o.value) ? " selected" : ""}>${escapeHtml(o.text?.text ?? o.value)}</option>`).join("");
    field = `<select ${ids}${multi ? " multiple" : ""}>${multi ? "" : '<option value="">Select an item</option>'}${options}</select>`;
  }
  return `<label class="modal-input">
    <span class="modal-label">${escapeHtml(b.label?.text ?? "")}${b.optional ? ' <span class="when">(optional)</span>' : ""}</span>
    ${field}
    ${b.hint ? `<span class="when">${escapeHtml(b.hint.text ?? "")}</span>` : ""}
    <span class="modal-error" data-error-for="${attr(b.block_id)}"></span>
  </label>`;
}

function renderModal() {
  const view = state.modal;
  $("modal").hidden = !view;
  if (!view) {
    shownModal = null;
    return;
  }
  if (shownModal === `${view.id}:${view.hash}`) return;
  shownModal = `${view.id}:${view.hash}`;
  const blocks = view.blocks.map((b) => (b.type === "input" ? inputHtml(b) : renderBlocks([b]))).join("");
  $("modal").innerHTML = `<form class="modal" data-testid="modal" data-view-id="${attr(view.id)}">
    <header class="title">${escapeHtml(view.title.text)}<button type="button" class="close" data-modal-cancel aria-label="Close">×</button></header>
    <div class="modal-body">${blocks}</div>
    <footer class="modal-footer">
      <span class="modal-error" data-error-for=""></span>
      <button type="button" class="block-button" data-modal-cancel>${escapeHtml(view.close?.text ?? "Cancel")}</button>
      ${view.submit ? `<button type="submit" class="block-button primary" data-testid="modal-submit">${escapeHtml(view.submit.text)}</button>` : ""}
    </footer>
  </form>`;
}

async function send(text, threadTs) {
  if (!text.trim()) return;
  if (text.trim().startsWith("/")) {
    await fetch("/_local/command", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ channel: current, text }) });
  } else {
    await fetch("/_local/post", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ channel: current, text, threadTs }) });
  }
}

document.addEventListener("click", (e) => {
  const channelLink = e.target.closest("[data-channel]");
  if (channelLink) {
    e.preventDefault();
    current = channelLink.dataset.channel;
    openThread = null;
    showingHome = false;
    render();
  }
  const threadButton = e.target.closest("[data-testid=open-thread]");
  if (threadButton) {
    openThread = threadButton.dataset.ts;
    render();
  }
  if (e.target.closest("#home-link")) {
    e.preventDefault();
    showingHome = true;
    render();
    fetch("/_local/home", { method: "POST" });
  }
  const clickable = e.target.closest("[data-click]");
  if (clickable) {
    const { channelId, ts, actionId, value } = clickable.dataset;
    fetch("/_local/click", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ channel: channelId, ts, actionId, value }) });
  }
  const cancel = e.target.closest("[data-modal-cancel]");
  if (cancel) {
    const viewId = cancel.closest("form").dataset.viewId;
    fetch("/_local/close-view", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ viewId }) });
  }
  if (e.target.closest("#close-thread")) {
    openThread = null;
    render();
  }
});

$("composer").addEventListener("submit", async (e) => {
  e.preventDefault();
  const text = $("composer-input").value;
  $("composer-input").value = "";
  await send(text);
});

/** Submit sends what the fields hold; the emulator delivers view_submission and answers with the app's errors, if any. */
$("modal").addEventListener("submit", async (e) => {
  e.preventDefault();
  const form = e.target;
  const submit = form.querySelector("[type=submit]");
  if (!submit) return; // a modal without a submit button cannot be submitted (Enter in a lone field would try)
  const values = {};
  for (const field of form.querySelectorAll("[data-action-id]")) {
    const value = field.multiple ? [...field.selectedOptions].map((o) => o.value) : field.value;
    if (field.tagName === "SELECT" && value === "") continue; // nothing picked
    (values[field.dataset.blockId] ??= {})[field.dataset.actionId] = value;
  }
  submit.disabled = true;
  const result = await (await fetch("/_local/submit", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ viewId: form.dataset.viewId, values }) })).json();
  submit.disabled = false;
  for (const el of form.querySelectorAll("[data-error-for]")) el.textContent = result.errors?.[el.dataset.errorFor] ?? "";
  // Slack's words when the app does not answer in time.
  if (!result.ok) form.querySelector('[data-error-for=""]').textContent = result.error ?? "We had some trouble connecting. Try again?";
});

$("thread-composer").addEventListener("submit", async (e) => {
  e.preventDefault();
  const text = $("thread-input").value;
  $("thread-input").value = "";
  await send(text, openThread);
});

new EventSource("/_local/events").onmessage = () => refresh();
refresh();
