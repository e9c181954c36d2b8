// Name That Tune (docs/games/song.md): the clip in an <audio> player, hints as they come,
// a text box for the title, the skip vote, the reveal and the scores.

import {h} from "../dom.js";
import {pick, t} from "../i18n.js";
import {countdown, ranking, scores, textBox} from "./common.js";

export const title = {zh: "猜歌", en: "Name That Tune"};

function player(ctx, round) {
  // The round event's link (signed, naming no song: server/clips.py) wins over the view's path.
  const announced = ctx.latest("round");
  const clip = (announced && announced.index === round.index && announced.clip) || round.clip || {};
  if (!clip.url) return h("p", {class: "status"}, "♪");
  const src = clip.formats?.includes("wav") ? `${clip.url}.wav` : clip.url;
  // Kept per round, so a redraw (a hint, a wrong guess) never restarts the music.
  return ctx.keep(`song-audio-${round.index}`, () =>
    h("audio", {controls: true, preload: "auto", src, class: "clip"}));
}

function reveal(ctx, r) {
  const headline = r.reason === "won" ? t("won_round", {name: ctx.name(r.winner)})
    : r.reason === "skipped" ? t("skipped") : t("timeout");
  return h("section", {class: "reveal"}, h("p", {class: "answer-line"}, headline),
    h("p", {}, t("title", {t: pick(r.title)})),
    r.artist && pick(r.artist) ? h("p", {}, t("by", {a: pick(r.artist)})) : null);
}

export function render(ctx, view) {
  const parts = [];
  const round = view.round;
  if (view.phase === "playing" && round) {
    parts.push(h("div", {class: "q-head"}, h("span", {}, t("song_round", {n: round.index + 1, total: round.total})),
      countdown(ctx, round.deadline, round.seconds)), player(ctx, round));
    if (view.hints.length) {
      parts.push(h("section", {class: "hints"}, h("h2", {}, t("hints")), h("ol", {}, view.hints.map((hint) =>
        h("li", {"data-kind": hint.kind}, hint.text ?? pick(hint))))));
    }
    if (ctx.playing) {
      parts.push(textBox(ctx, `song-${round.index}`, t("type_answer"), t("send"), (text) => ctx.act({answer: text}), 200));
      const voted = view.you?.voted_skip;
      parts.push(h("button", {class: "big subtle", disabled: voted, onclick: () => ctx.act({skip: true})},
        `${t("skip")} (${t("skip_votes", {n: view.skip_votes, need: view.skip_needed})})`));
    }
  }
  if (view.reveal && view.phase !== "playing") parts.push(reveal(ctx, view.reveal));
  parts.push(view.phase === "finished" ? ranking(ctx, view.ranking) : scores(ctx, view.scores));
  return h("div", {class: "song", "data-phase": view.phase}, ...parts);
}
