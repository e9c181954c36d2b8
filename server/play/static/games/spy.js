// Who's the Spy (docs/games/spy.md): the member's own word (only theirs: the view carries no
// other), whose turn it is, describing, voting by tapping a player, PK rounds, the final reveal.

import {h} from "../dom.js";
import {t} from "../i18n.js";
import {countdown, textBox} from "./common.js";

export const title = {zh: "谁是卧底", en: "Who's the Spy"};

function seconds(ctx, phase) {
  const c = ctx.room.config || {};
  if (phase === "vote" || phase === "pk_vote") return c.vote_seconds || 60;
  if (phase === "blank_guess") return c.guess_seconds || 60;
  return c.describe_seconds || 60;
}

function wordCard(view) {
  const me = view.me;
  if (!me) return null;
  return h("section", {class: "word-card", id: "my-word"},
    h("span", {class: "label"}, t("your_word")),
    me.blank ? h("strong", {class: "blank"}, t("blank_word")) : h("strong", {class: "word"}, me.word));
}

function table(ctx, view) {
  const outs = new Set(view.out.map((o) => o.player));
  const said = {};
  for (const d of view.descriptions.filter((d) => d.round === view.round)) (said[d.player] ||= []).push(d.text);
  return h("ol", {class: "seats"}, view.order.map((p) => h("li", {
    class: [outs.has(p) ? "out" : "", p === view.turn ? "turn" : "", p === ctx.me ? "me" : ""].join(" ").trim(),
    "data-player": p,
  }, h("span", {class: "who"}, ctx.name(p)), outs.has(p) ? h("span", {class: "tag"}, t("out")) : null,
    ...(said[p] || []).map((text) => h("q", {class: "said"}, text)))));
}

function voting(ctx, view) {
  const me = view.me;
  const parts = [h("p", {class: "status"}, t("votes", {n: view.vote.count, of: view.vote.of}))];
  if (me?.can_vote && !me.voted) {
    parts.unshift(h("h2", {}, t("vote_for")), h("div", {class: "choices vote"},
      view.vote.candidates.filter((p) => p !== ctx.me).map((p) =>
        h("button", {class: "big choice", "data-player": p, onclick: () => ctx.act({vote: p})}, ctx.name(p))),
      h("button", {class: "big subtle", onclick: () => ctx.act({vote: null})}, t("abstain"))));
  } else if (me?.voted) {
    parts.unshift(h("p", {class: "mine"}, t("voted"), me.my_vote ? ` → ${ctx.name(me.my_vote)}` : ` (${t("abstain")})`));
  }
  return h("section", {class: "voting"}, ...parts);
}

function tally(ctx, last) {
  if (!last) return null;
  const rows = Object.entries(last.tally).filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1]);
  return h("section", {class: "tally"}, h("h2", {}, `${t("tally")}${last.pk ? ` · ${t("pk")}` : ""}`),
    h("ul", {}, rows.map(([p, n]) => h("li", {}, `${ctx.name(p)}: ${n}`))),
    last.out ? h("p", {class: "status"}, `${ctx.name(last.out)} ${t("out")}`)
      : last.pk_candidates.length ? h("p", {class: "status"}, `${t("pk")}: ${last.pk_candidates.map(ctx.name).join(", ")}`)
        : h("p", {class: "status"}, t("nobody_out")));
}

function finished(ctx, view) {
  return h("section", {class: "final"}, h("h2", {id: "winner"}, t(`winner_${view.winner}`)),
    h("p", {class: "words"}, t("words", {c: view.words.civilian ?? "", s: view.words.spy ?? ""})),
    h("ul", {class: "roles"}, view.players.map((p) => h("li", {class: view.winners?.includes(p) ? "won" : ""},
      `${ctx.name(p)} · ${t(`role_${view.roles[p]}`)}`))));
}

export function render(ctx, view) {
  const phase = view.phase;
  const parts = [wordCard(view)];
  if (view.finished) return h("div", {class: "spy", "data-phase": phase}, ...parts, finished(ctx, view), table(ctx, view));
  const pk = phase.startsWith("pk_");
  parts.push(h("div", {class: "q-head"}, h("span", {}, t("round", {n: view.round}), pk ? ` · ${t("pk")}` : ""),
    countdown(ctx, view.deadline, seconds(ctx, phase))));
  if (view.me && !view.me.alive) parts.push(h("p", {class: "status"}, t("you_are_out")));
  if (phase === "describe" || phase === "pk_describe") {
    const mine = view.turn === ctx.me;
    parts.push(h("p", {class: `turn${mine ? " mine" : ""}`, id: "turn"}, mine ? t("your_turn") : t("turn", {name: ctx.name(view.turn)})));
    if (mine) parts.push(textBox(ctx, `spy-${view.round}-${phase}-${view.descriptions.length}`, t("describe"), t("send"),
      (text) => ctx.act({describe: text})));
  } else if (phase === "vote" || phase === "pk_vote") {
    parts.push(voting(ctx, view));
  } else if (phase === "blank_guess") {
    parts.push(h("p", {class: "turn"}, t("blank_guess")));
    if (view.guesser === ctx.me) parts.push(textBox(ctx, `spy-guess-${view.round}`, t("guess"), t("send"),
      (text) => ctx.act({guess: text}), 50));
  }
  parts.push(table(ctx, view), tally(ctx, view.last_tally));
  return h("div", {class: "spy", "data-phase": phase}, ...parts);
}
