// The group's page: the check-in button, the streak and month calendar with make-up cards,
// this week's board, and a way into the group's live game. Opened by a group-level link.

import {clear, h, toast} from "./dom.js";
import {pick, t} from "./i18n.js";

export class GroupPage {
  constructor(root, session, wire) {
    this.root = root;
    this.session = session;
    this.wire = wire;
    this.month = null; // [year, month] shown; null: the current one
  }

  async onopen() {
    await this.refresh();
  }

  onevent() {}

  async refresh() {
    const group = this.session.group;
    const data = {group};
    if (this.month) [data.year, data.month] = this.month;
    const [calendar, board, live] = await Promise.all([
      this.wire.request("checkin.calendar", data),
      this.wire.request("board.top", {group, game: "all", period: "week", limit: 10}).catch(() => null),
      this.wire.request("room.list", {group, live: true}).catch(() => ({rooms: []})),
    ]);
    this.draw(calendar, board, live.rooms || []);
  }

  async checkIn() {
    try {
      const reply = await this.wire.request("checkin", {group: this.session.group});
      toast(pick(reply.message), reply.already ? "info" : "ok");
    } catch (err) {
      toast(err.message || err.code, "error");
    }
    await this.refresh();
  }

  async makeUp(day) {
    this.selected = null;
    try {
      const reply = await this.wire.request("checkin.makeup", {group: this.session.group, day});
      toast(pick(reply.message), "ok");
    } catch (err) {
      toast(err.message || err.code, "error");
    }
    await this.refresh();
  }

  draw(cal, board, rooms) {
    this.last = [cal, board, rooms];
    const today = cal.days.find((d) => d.today);
    const done = today && (today.status === "checked" || today.status === "made_up");
    const [y, m] = cal.month.split("-").map(Number);
    const parts = [
      h("h1", {class: "title"}, this.session.group_name || t("group_page")),
      ...rooms.map((r) => h("a", {class: "big live", href: `/play/${encodeURIComponent(r.id)}`},
        t("live_room", {game: t(r.game)}), " · ", t("open_room"))),
      h("section", {class: "checkin"},
        h("button", {class: "big primary", id: "checkin", disabled: done, onclick: () => this.checkIn()},
          done ? t("checked_today") : t("checkin_button")),
        h("p", {class: "streak", id: "streak"}, t("streak", {n: cal.streak}), " · ", t("longest", {n: cal.longest}),
          " · ", t("total_points", {n: cal.total_points})),
        h("div", {class: "month-head"},
          h("button", {class: "nav", "aria-label": "previous month", onclick: () => this.shift(y, m, -1)}, "‹"),
          h("span", {}, t("calendar", {y, m})),
          h("button", {class: "nav", "aria-label": "next month", onclick: () => this.shift(y, m, 1)}, "›")),
        this.calendar(cal, y, m),
        h("p", {class: "cards"}, t("cards_left", {n: cal.cards_left})),
        // A tap on a missed day asks first (an in-page question: in-app browsers may block confirm()).
        this.selected && h("button", {class: "big", id: "makeup", onclick: () => this.makeUp(this.selected)},
          t("makeup_ask", {day: this.selected}))),
      h("section", {class: "board"}, h("h2", {}, t("board")), this.board(board)),
    ];
    clear(this.root).append(...parts);
  }

  calendar(cal, y, m) {
    const names = t("weekdays");
    const head = [...names].map((d) => h("span", {class: "wd"}, d));
    const first = (new Date(Date.UTC(y, m - 1, 1)).getUTCDay() + 6) % 7; // Monday first
    const blanks = Array.from({length: first}, () => h("span", {class: "day pad"}));
    const days = cal.days.map((d) => {
      const n = Number(d.day.slice(8));
      const can = d.status === "missed" && cal.cards_left > 0;
      return h(can ? "button" : "span", {
        class: `day ${d.status}${d.today ? " today" : ""}`, "data-day": d.day, title: d.day,
        onclick: can ? () => this.select(d.day) : undefined,
      }, String(n));
    });
    return h("div", {class: "calendar"}, ...head, ...blanks, ...days);
  }

  board(board) {
    const entries = board?.entries || [];
    if (!entries.length) return h("p", {class: "status"}, t("no_scores"));
    return h("ol", {class: "ranking"}, entries.map((e) =>
      h("li", {class: e.member === this.session.player ? "me" : ""},
        h("span", {class: "rank"}, String(e.rank)), h("span", {class: "who"}, e.member === this.session.player
          ? `${this.session.name || e.member} (${t("you")})` : e.member),
        h("span", {class: "pts"}, String(Math.round(e.score))))));
  }

  select(day) {
    this.selected = day;
    this.draw(...this.last);
  }

  shift(y, m, by) {
    const d = new Date(Date.UTC(y, m - 1 + by, 1));
    this.month = [d.getUTCFullYear(), d.getUTCMonth() + 1];
    this.refresh();
  }
}

