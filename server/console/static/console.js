// The operators' console: one more client of the REST API that /v1/openapi.json describes.
// Every text from the server goes in with textContent (never innerHTML); charts are SVG built
// here. The key lives in sessionStorage (this tab only). Served under a strict CSP: no inline
// script or style, nothing fetched from anywhere but this server.
"use strict";

const KEY_STORE = "campfire.console.key";
const SVG = "http://www.w3.org/2000/svg";
const state = { key: sessionStorage.getItem(KEY_STORE) || "", app: null };

class ApiError extends Error {
  constructor(status, body) {
    const err = (body && body.error) || {};
    super(err.message || `HTTP ${status}`);
    this.status = status;
    this.code = err.code || "http_" + status;
  }
}

async function api(path, options = {}) {
  const headers = { Authorization: "Bearer " + state.key, ...(options.headers || {}) };
  const response = await fetch("/v1" + path, { ...options, headers });
  let body = null;
  try { body = await response.json(); } catch (_) { body = null; }
  if (!response.ok) throw new ApiError(response.status, body);
  return body;
}

// --- building the page -------------------------------------------------------------------
function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function link(href, text) { return el("a", { href }, text); }
function enc(part) { return encodeURIComponent(part); }
function num(v, digits = 1) {
  if (v === null || v === undefined || Number.isNaN(v)) return "–";
  return Number(v).toLocaleString("en-US", { maximumFractionDigits: digits });
}
function pct(v) { return v === null || v === undefined ? "–" : (v >= 0 ? "+" : "") + Math.round(v * 100) + "%"; }
function when(ts) { return ts ? new Date(ts * 1000).toISOString().replace("T", " ").slice(0, 16) : "–"; }

// --- tables: sortable, exportable ----------------------------------------------------------
// columns: [{key, label, num?, show?(row) -> Node|string, csv?(row) -> string}]
function dataTable(name, title, columns, rows, initial = null) {
  const sort = { key: initial ? initial.key : null, dir: initial ? initial.dir : 1 };
  const tbody = el("tbody");
  const heads = columns.map((c) => el("th", { scope: "col", class: c.num ? "num" : null, "data-key": c.key }, c.label));
  const render = () => {
    const sorted = rows.slice();
    if (sort.key) {
      sorted.sort((a, b) => {
        const x = a[sort.key], y = b[sort.key];
        if (x === y) return 0;
        if (x === null || x === undefined) return 1;
        if (y === null || y === undefined) return -1;
        return (typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y))) * sort.dir;
      });
    }
    heads.forEach((th) => th.setAttribute("aria-sort", th.dataset.key === sort.key ? (sort.dir > 0 ? "ascending" : "descending") : "none"));
    tbody.replaceChildren(...sorted.map((row) => el("tr", {}, columns.map((c) =>
      el("td", { class: c.num ? "num" : null }, c.show ? c.show(row) : (c.num ? num(row[c.key]) : (row[c.key] ?? "")))))));
  };
  heads.forEach((th) => th.addEventListener("click", () => {
    sort.dir = sort.key === th.dataset.key ? -sort.dir : (columns.find((c) => c.key === th.dataset.key).num ? -1 : 1);
    sort.key = th.dataset.key;
    render();
  }));
  render();
  const exportButton = el("button", { type: "button", class: "export", "data-table": name,
    onclick: () => downloadCsv(name, columns, rows) }, "Export CSV");
  return el("section", { class: "card", "data-table": name },
    el("div", { class: "bar" }, el("h2", {}, title), el("span", { class: "muted" }, `${rows.length} rows`), exportButton),
    rows.length ? el("table", { id: "table-" + name }, el("thead", {}, el("tr", {}, heads)), tbody)
      : el("p", { class: "muted" }, "Nothing yet."));
}

function csvCell(value) {
  let text = value === null || value === undefined ? "" : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = "'" + text; // a spreadsheet must not run a member's text as a formula
  return /[",\n\r]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
}

function downloadCsv(name, columns, rows) {
  const lines = [columns.map((c) => csvCell(c.label)).join(",")];
  for (const row of rows) lines.push(columns.map((c) => csvCell(c.csv ? c.csv(row) : row[c.key])).join(","));
  const blob = new Blob(["\ufeff" + lines.join("\r\n") + "\r\n"], { type: "text/csv;charset=utf-8" });
  const url = URL.createObjectURL(blob);
  const a = el("a", { href: url, download: `campfire-${name}.csv` });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

// --- charts ------------------------------------------------------------------------------
function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, String(value));
  for (const child of children) node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  return node;
}

// days: [{day, points, active}] -> bars for active members, a line for points.
function activityChart(days) {
  const W = 720, H = 220, L = 36, B = 22, T = 10;
  const maxPoints = Math.max(1, ...days.map((d) => d.points));
  const maxActive = Math.max(1, ...days.map((d) => d.active));
  const step = (W - L) / Math.max(1, days.length);
  const y = (v, max) => T + (H - T - B) * (1 - v / max);
  const chart = svg("svg", { class: "chart", viewBox: `0 0 ${W} ${H}`, role: "img",
    "aria-label": `activity over ${days.length} days` });
  chart.append(svg("line", { class: "axis", x1: L, y1: H - B, x2: W, y2: H - B }));
  days.forEach((d, i) => {
    const top = y(d.active, maxActive);
    const bar = svg("rect", { class: "active", x: L + i * step + 1, y: top, width: Math.max(1, step - 2), height: H - B - top });
    bar.append(svg("title", {}, `${d.day}: ${d.active} active, ${num(d.points)} points`));
    chart.append(bar);
  });
  const points = days.map((d, i) => `${(L + i * step + step / 2).toFixed(1)},${y(d.points, maxPoints).toFixed(1)}`).join(" ");
  chart.append(svg("polyline", { class: "points", points }));
  chart.append(svg("text", { x: 2, y: T + 8 }, num(maxPoints, 0)));
  chart.append(svg("text", { x: 2, y: H - B }, "0"));
  days.forEach((d, i) => {
    if (i % 7 === 0) chart.append(svg("text", { x: L + i * step, y: H - 6 }, d.day.slice(5)));
  });
  return el("section", { class: "card" }, el("h2", {}, "Activity over time"),
    el("p", { class: "muted" }, "Bars: members active that day. Line: activity points."), chart);
}

function figure(label, value, cls = null) {
  return el("div", { class: "figure" }, el("span", { class: "muted" }, label), el("b", { class: cls }, value));
}

// --- pages -------------------------------------------------------------------------------
async function groupsPage(view) {
  const data = await api("/console/groups?limit=1000");
  const rows = data.groups.map((g) => ({ ...g, display: g.name || g.id }));
  view.replaceChildren(
    el("h1", {}, `Groups of ${state.app.name}`),
    el("div", { class: "figures" },
      figure("groups", num(rows.length, 0)),
      figure("cooling", num(rows.filter((g) => g.cooling).length, 0), "alarm"),
      figure("members at risk", num(rows.reduce((s, g) => s + g.at_risk, 0), 0)),
      figure("games this week", num(rows.reduce((s, g) => s + g.games_week, 0), 0))),
    dataTable("groups", "All groups", [
      { key: "display", label: "group", show: (g) => link(`#/g/${enc(g.id)}`, g.display) },
      { key: "id", label: "id" },
      { key: "activity", label: "activity", num: true },
      { key: "wow", label: "week over week", num: true, show: (g) => el("span", { class: g.wow > 0 ? "up" : g.wow < 0 ? "down" : null }, pct(g.wow)), csv: (g) => g.wow },
      { key: "cooling", label: "cooling", show: (g) => g.cooling ? el("span", { class: "alarm" }, "cooling") : "", csv: (g) => g.cooling ? "yes" : "no" },
      { key: "at_risk", label: "at risk", num: true },
      { key: "active", label: "active (30 d)", num: true },
      { key: "members", label: "members", num: true },
      { key: "games_week", label: "games this week", num: true },
    ], rows, { key: "activity", dir: -1 }),
    await webhooksCard());
}

async function webhooksCard() {
  let hooks = [];
  try { hooks = (await api("/webhooks")).webhooks; } catch (err) { return el("p", { class: "muted" }, "Webhooks: " + err.message); }
  const rows = hooks.map((h) => {
    const last = h.last_delivery || {};
    return { id: h.id, url: h.url, events: h.events.join(" "), state: last.state || "–",
      status: last.last_status ?? last.last_error ?? "–", attempts: last.attempts ?? 0, at: last.last_at || null };
  });
  return dataTable("webhooks", "Webhooks", [
    { key: "url", label: "url" }, { key: "events", label: "events" }, { key: "state", label: "last delivery" },
    { key: "status", label: "last status" }, { key: "attempts", label: "attempts", num: true },
    { key: "at", label: "at", show: (r) => when(r.at), csv: (r) => when(r.at) },
  ], rows);
}

async function groupPage(view, group) {
  const data = await api(`/console/groups/${enc(group)}`);
  const h = data.health;
  const p = h.participation, t = h.state;
  view.replaceChildren(
    el("p", {}, link("#/", "← all groups")),
    el("h1", {}, data.name ? `${data.name} (${group})` : group),
    el("div", { class: "figures" },
      figure("members", num(p.members, 0)),
      figure("active in 30 days", num(p.active, 0)),
      figure("participation", Math.round(p.rate * 100) + "%"),
      figure("daily participation", Math.round(p.daily_rate * 100) + "%"),
      figure("week over week", pct(t.wow), t.wow < 0 ? "down" : "up"),
      figure("cooling", t.cooling ? "YES" : "no", t.cooling ? "alarm" : null),
      figure("state", t.dormant ? `dormant since ${t.last_active || "?"}` : t.state, t.state === "active" ? null : "alarm"),
      figure("weekly / monthly active", `${num(p.weekly_active, 0)} / ${num(p.monthly_active, 0)}`),
      figure("stickiness", p.stickiness == null ? "–" : Math.round(p.stickiness * 100) + "%"),
      figure("top member's share", h.concentration.top1 == null ? "–" : Math.round(h.concentration.top1 * 100) + "%"),
      figure("top 3 share", h.concentration.top3 == null ? "–" : Math.round(h.concentration.top3 * 100) + "%"),
      figure("newcomers who played", h.newcomers.share == null ? "–" : Math.round(h.newcomers.share * 100) + "%"),
      figure("at risk", num(h.at_risk.length, 0))),
    activityChart(data.daily),
    dataTable("retention", "Newcomer retention by weekly cohort", [
      { key: "week", label: "week" }, { key: "new", label: "new", num: true },
      { key: "active_next_week", label: "active next week", num: true },
      { key: "active_week_4", label: "active in week 4", num: true }], h.retention),
    dataTable("daily", "Daily active members", [
      { key: "day", label: "day" }, { key: "active", label: "active", num: true }, { key: "points", label: "points", num: true }],
      data.daily.slice().reverse()),
    dataTable("key-members", "Key members", [
      { key: "member", label: "member", show: (k) => link(`#/g/${enc(group)}/m/${enc(k.member)}`, k.member) },
      { key: "key", label: "key score", num: true }, { key: "activity", label: "activity", num: true },
      { key: "coplayers", label: "co-players", num: true }, { key: "invited", label: "invited", num: true }],
      h.key_members),
    dataTable("at-risk", "Members at risk", [
      { key: "member", label: "member", show: (r) => link(`#/g/${enc(group)}/m/${enc(r.member)}`, r.member) },
      { key: "weekly_before", label: "weekly before", num: true }, { key: "last_week", label: "last week", num: true },
      { key: "last_active", label: "last active" }], h.at_risk),
    dataTable("pairs", "Who plays with whom", [
      { key: "a", label: "member", show: (r) => link(`#/g/${enc(group)}/m/${enc(r.a)}`, r.a) },
      { key: "b", label: "with", show: (r) => link(`#/g/${enc(group)}/m/${enc(r.b)}`, r.b) },
      { key: "games", label: "games together", num: true }], data.pairs, { key: "games", dir: -1 }),
    ...data.boards.map((b) => dataTable("board-" + b.board.replace(/[^A-Za-z0-9]+/g, "-"), `Board ${b.game} · ${b.period}`, [
      { key: "rank", label: "rank", num: true },
      { key: "member", label: "member", show: (e) => link(`#/g/${enc(group)}/m/${enc(e.member)}`, e.member) },
      { key: "score", label: "score", num: true }], b.top, { key: "rank", dir: 1 })),
    dataTable("games", "Recent games", [
      { key: "finished_at", label: "finished", show: (g) => when(g.finished_at), csv: (g) => when(g.finished_at) },
      { key: "game", label: "game" }, { key: "players", label: "players", num: true },
      { key: "winners", label: "winners", csv: (g) => g.winners }, { key: "room", label: "room" }],
      data.games.map((g) => ({ ...g, players: g.players.length, winners: g.winners.join(", ") }))));
}

async function memberPage(view, group, member) {
  const data = await api(`/console/groups/${enc(group)}/members/${enc(member)}`);
  const cal = data.checkin;
  const checked = new Set((cal.days || []).filter((d) => d.status === "checked" || d.status === "made_up").map((d) => d.day));
  view.replaceChildren(
    el("p", {}, link(`#/g/${enc(group)}`, "← " + group)),
    el("h1", {}, `${member} in ${data.group_name || group}`),
    el("div", { class: "figures" },
      figure("activity", num(data.activity)),
      figure("activity rank", data.activity_rank ? "#" + data.activity_rank : "–"),
      figure("check-in streak", num(cal.streak, 0)),
      figure("longest streak", num(cal.longest, 0)),
      figure("games played", num(data.games.length, 0))),
    activityChart(data.daily),
    el("section", { class: "card" }, el("h2", {}, `Check-ins ${cal.month}`),
      el("div", { class: "calendar", id: "calendar" }, (cal.days || []).map((d) =>
        el("span", { class: checked.has(d.day) ? "on" : null, title: d.day }, String(Number(d.day.slice(8))))))),
    dataTable("ranks", "Ranks", [
      { key: "game", label: "game" }, { key: "period", label: "period" }, { key: "rank", label: "rank", num: true },
      { key: "score", label: "score", num: true }, { key: "size", label: "of", num: true }], data.boards),
    dataTable("member-games", "Games", [
      { key: "finished_at", label: "finished", show: (g) => when(g.finished_at), csv: (g) => when(g.finished_at) },
      { key: "game", label: "game" }, { key: "rank", label: "rank", num: true }, { key: "score", label: "score", num: true },
      { key: "won", label: "won", show: (g) => g.won ? "won" : "", csv: (g) => g.won ? "yes" : "no" }], data.games));
}

// --- signing in and routing ------------------------------------------------------------------
async function signIn(key) {
  state.key = key;
  const me = await api("/app");
  state.app = me.app;
  sessionStorage.setItem(KEY_STORE, key);
  document.getElementById("who").textContent = `${me.app.name} · ${me.read_only ? "read-only operator" : "app key"}`;
  document.getElementById("signout").hidden = false;
  document.body.dataset.role = me.read_only ? "read-only" : "app";
}

function showSignIn(message = "") {
  document.getElementById("signin").hidden = false;
  document.getElementById("view").replaceChildren();
  document.getElementById("signin-error").textContent = message;
}

async function route() {
  const view = document.getElementById("view");
  if (!state.app) return;
  document.getElementById("signin").hidden = true;
  const parts = location.hash.replace(/^#\/?/, "").split("/").map(decodeURIComponent);
  view.replaceChildren(el("p", { class: "muted" }, "Loading…"));
  try {
    if (parts[0] === "g" && parts[1] && parts[2] === "m" && parts[3]) await memberPage(view, parts[1], parts[3]);
    else if (parts[0] === "g" && parts[1]) await groupPage(view, parts[1]);
    else await groupsPage(view);
    document.body.dataset.ready = location.hash || "#/";
  } catch (err) {
    if (err.status === 401) { state.app = null; sessionStorage.removeItem(KEY_STORE); showSignIn(err.message); return; }
    view.replaceChildren(el("p", { class: "error", role: "alert" }, `${err.code}: ${err.message}`));
  }
}

document.addEventListener("DOMContentLoaded", async () => {
  document.getElementById("signin").addEventListener("submit", async (event) => {
    event.preventDefault();
    try {
      await signIn(document.getElementById("key").value.trim());
      document.getElementById("key").value = "";
      await route();
    } catch (err) {
      showSignIn(err.message);
    }
  });
  document.getElementById("signout").addEventListener("click", () => {
    sessionStorage.removeItem(KEY_STORE);
    state.key = ""; state.app = null;
    document.getElementById("who").textContent = "";
    document.getElementById("signout").hidden = true;
    showSignIn();
  });
  window.addEventListener("hashchange", route);
  if (state.key) {
    try { await signIn(state.key); await route(); return; } catch (err) { showSignIn(err.message); return; }
  }
  showSignIn();
});
