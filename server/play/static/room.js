// One room on the page: follows its event log over the websocket, resumes by sequence number
// after a drop (room.watch {after}), and draws what room.view lets this member see. The screen
// is a function of that view, so a reload or a resume shows exactly what the server holds.
// Game screens are modules under games/, registered by game name (games/registry.js).

import {clear, h, toast} from "./dom.js";
import {pick, t} from "./i18n.js";
import {loadGame} from "./games/registry.js";
import {WireError} from "./wire.js";

// Room-level events that change who is in the room or its status.
const ROOM_KINDS = new Set(["player_joined", "player_left", "game_started", "game_over", "room_closed"]);

export class RoomPage {
  constructor(root, session, wire, roomId) {
    this.root = root;
    this.session = session;
    this.wire = wire;
    this.roomId = roomId;
    this.lastSeq = null;
    this.room = null;
    this.view = null;
    this.game = null;
    this.kept = new Map();
    this.latest = {}; // the last event of each kind (what a view does not carry, e.g. a round's clip link)
    this.busy = false;
    this.again = false;
  }

  /** After every (re)connect: watch from the last event seen, then redraw from the view. */
  async onopen() {
    // From the start the first time (the log replays what this member may see, so moments the view
    // does not keep, like a song round's clip link, are known after a reload), then from the last seen.
    const data = {room: this.roomId, after: this.lastSeq ?? 0};
    try {
      const reply = await this.wire.request("room.watch", data);
      this.lastSeq = Math.max(this.lastSeq ?? 0, reply.seq);
    } catch (err) {
      if (err instanceof WireError && err.code === "unknown_room") return this.gone("unknown_room");
      throw err;
    }
    await this.refresh();
  }

  onevent(event) {
    if (event.room !== this.roomId) return;
    if (this.lastSeq !== null && event.seq <= this.lastSeq) return; // already seen
    this.lastSeq = event.seq;
    this.latest[event.kind] = event.data;
    if (event.kind === "room_closed") return this.gone("closed");
    this.game?.onEvent?.(this.context(), event);
    this.refresh();
  }

  /** Fetch the room and this member's view; bursts of events coalesce into one request. */
  async refresh() {
    if (this.busy) {
      this.again = true;
      return;
    }
    this.busy = true;
    try {
      do {
        this.again = false;
        const reply = await this.wire.request("room.view", {room: this.roomId});
        this.room = reply.room;
        this.view = reply.view;
      } while (this.again);
      if (this.room.status === "closed") return this.gone("closed");
      if (!this.game || this.game.name !== this.room.game) this.game = await loadGame(this.room.game);
      this.draw();
    } catch (err) {
      if (err instanceof WireError && err.code === "unknown_room") this.gone("unknown_room");
      // a dropped connection: the next onopen resumes and redraws
    } finally {
      this.busy = false;
    }
  }

  isPlayer() {
    return this.room.players.some((p) => p.player === this.session.player);
  }

  name(player) {
    if (player === this.session.player) return `${this.nameOf(player)} (${t("you")})`;
    return this.nameOf(player);
  }

  nameOf(player) {
    return this.room.players.find((p) => p.player === player)?.name || player;
  }

  /** What a game module gets: the view's helpers, never the wire itself. */
  context() {
    return {
      me: this.session.player,
      room: this.room,
      playing: this.isPlayer(),
      name: (p) => this.name(p),
      now: () => this.wire.now(),
      act: (action) => this.act(action),
      keep: (key, make) => this.keep(key, make),
      latest: (kind) => this.latest[kind],
      lang: this.session.lang,
    };
  }

  /** The same element across redraws while `key` is unchanged (a text box keeps its text). */
  keep(key, make) {
    if (!this.kept.has(key)) this.kept.set(key, make());
    return this.kept.get(key);
  }

  async act(action) {
    try {
      await this.wire.request("room.act", {room: this.roomId, action});
      return true;
    } catch (err) {
      toast(t(err.code) !== err.code ? t(err.code) : err.message || err.code, "error");
      return false;
    }
  }

  async join() {
    try {
      await this.wire.request("room.join", {room: this.roomId});
    } catch (err) {
      toast(err.message || err.code, "error");
    }
    this.refresh();
  }

  draw() {
    const room = this.room;
    const title = h("h1", {class: "title"}, this.game?.title?.[this.session.lang] || t(room.game));
    const header = h("div", {class: "room-head"}, title, h("span", {class: `badge ${room.status}`},
      room.status === "lobby" ? t("lobby") : this.isPlayer() ? t("joined") : t("spectating")));
    const body = [];
    if (!this.isPlayer() && room.status !== "finished") {
      body.push(h("button", {class: "big primary", id: "join", onclick: () => this.join()}, t("join")));
    }
    if (room.status === "lobby" || !this.view) {
      body.push(h("p", {class: "status"}, t("waiting_start")), this.playerList());
    } else {
      body.push(this.game.render(this.context(), this.view));
      if (room.status === "finished") body.push(h("p", {class: "status"}, t("next_round")));
    }
    const screen = h("section", {class: `room game-${room.game}`, "data-status": room.status,
      "data-seq": String(this.lastSeq)}, header, ...body);
    clear(this.root).append(screen);
  }

  playerList() {
    return h("ul", {class: "players"}, this.room.players.map((p) =>
      h("li", {class: p.player === this.session.player ? "me" : ""}, this.name(p.player))));
  }

  gone(code) {
    this.wire.stopped = true;
    this.wire.ws?.close();
    clear(this.root).append(h("section", {class: "refused"}, h("h1", {}, t(code)),
      h("p", {}, pick({zh: "可以回到群里继续聊天。", en: "You can go back to the group."}))));
  }
}
