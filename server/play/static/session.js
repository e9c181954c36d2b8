// From the address to a session. A launch link carries its ticket in the fragment (#cfl_…),
// which the browser never sends to a server; the page removes it from the address at once,
// exchanges it for a player token (POST /play/session) and keeps that token in sessionStorage
// (this tab only), so a reload resumes without the link. docs/play.md describes the path.

const KEY = "campfire.play.session";

export class Refused extends Error {
  constructor(code, message) {
    super(message);
    this.code = code;
  }
}

/** The room in the address (/play/<room>), or null on the group page. */
export function roomInPath() {
  const m = location.pathname.match(/^\/play\/([A-Za-z0-9_-]{1,64})\/?$/);
  return m && m[1] !== "session" ? m[1] : null;
}

function launchFromFragment() {
  const hash = location.hash.slice(1);
  if (!hash) return null;
  history.replaceState(null, "", location.pathname + location.search); // out of the address bar and history
  if (hash.startsWith("cfl_")) return {link: hash};
  const params = new URLSearchParams(hash);
  const telegram = params.get("tgWebAppData"); // appended by Telegram's clients
  if (telegram) return {telegram, link: params.get("cf") || undefined};
  return null;
}

function stored() {
  try {
    // No expiry check here: the phone's clock may be wrong; the server refuses an expired token.
    return JSON.parse(sessionStorage.getItem(KEY) || "null");
  } catch {
    return null;
  }
}

export function forget() {
  sessionStorage.removeItem(KEY);
}

/** The session for this page: a fresh launch from the fragment, or the one this tab kept. */
export async function openSession() {
  const launch = launchFromFragment();
  if (!launch) {
    const kept = stored();
    if (kept) return kept;
    throw new Refused("no_session", "no launch link");
  }
  const room = roomInPath();
  const response = await fetch("/play/session", {
    method: "POST",
    headers: {"Content-Type": "application/json"},
    body: JSON.stringify({...launch, ...(room ? {room} : {})}),
    credentials: "omit",
    cache: "no-store",
  });
  const body = await response.json().catch(() => ({error: {code: "link_invalid", message: "bad reply"}}));
  if (!response.ok) throw new Refused(body.error?.code || "link_invalid", body.error?.message || "");
  sessionStorage.setItem(KEY, JSON.stringify(body));
  return body;
}
