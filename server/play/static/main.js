// The play page's entry point: open the session (launch link, Telegram, or this tab's), set the
// group's language, connect, and show the room or the group's page.

import {clear, h} from "./dom.js";
import {setLang, t} from "./i18n.js";
import {GroupPage} from "./group.js";
import {RoomPage} from "./room.js";
import {Refused, forget, openSession, roomInPath} from "./session.js";
import {Wire} from "./wire.js";

const root = document.getElementById("app");

function refused(code, detail) {
  clear(root).append(h("section", {class: "refused", "data-code": code},
    h("h1", {}, t("refused")), h("p", {class: "reason"}, t(code) === code ? detail || code : t(code)),
    h("p", {}, t("refused_hint"))));
}

async function main() {
  setLang((navigator.language || "").toLowerCase().startsWith("zh") ? "zh" : "en");
  let session;
  try {
    session = await openSession();
  } catch (err) {
    return refused(err instanceof Refused ? err.code : "link_invalid", err.message);
  }
  setLang(session.lang);
  document.getElementById("who").textContent = session.name || session.player;
  const roomId = roomInPath() || session.room;
  if (roomId && roomInPath() !== roomId) history.replaceState(null, "", `/play/${encodeURIComponent(roomId)}`);
  clear(root).append(h("p", {class: "status"}, t("loading")));
  const net = document.getElementById("net");
  let page;
  const scheme = location.protocol === "https:" ? "wss" : "ws";
  const wire = new Wire(`${scheme}://${location.host}/ws`, session.token, {
    onopen: () => page.onopen(),
    onevent: (event) => page.onevent(event),
    onstate: (up) => {
      net.hidden = up;
      net.textContent = up ? "" : t("offline");
      document.body.classList.toggle("offline", !up);
    },
    onfatal: (err) => {
      forget();
      refused(err.code === "unauthorized" ? "session_expired" : err.code, err.message);
    },
  });
  page = roomId ? new RoomPage(root, session, wire, roomId) : new GroupPage(root, session, wire);
  wire.connect();
}

// A new link opened in the same tab changes only the fragment (no page load): start over with it.
window.addEventListener("hashchange", () => location.reload());
main();
