// Pieces every game screen uses: the score list, the final ranking, a text box that survives
// redraws, and the countdown.

import {h, ring} from "../dom.js";
import {t} from "../i18n.js";

export function scores(ctx, table, title = t("scores")) {
  const rows = Object.entries(table || {}).sort((a, b) => b[1] - a[1]);
  return h("section", {class: "scores"}, h("h2", {}, title), h("ol", {class: "ranking"}, rows.map(([p, s]) =>
    h("li", {class: p === ctx.me ? "me" : ""}, h("span", {class: "who"}, ctx.name(p)),
      h("span", {class: "pts"}, `${Math.round(s)}`)))));
}

export function ranking(ctx, rows) {
  return h("section", {class: "final"}, h("h2", {}, t("game_over")), h("ol", {class: "ranking"}, (rows || []).map((r) =>
    h("li", {class: r.player === ctx.me ? "me" : "", "data-rank": String(r.rank)},
      h("span", {class: "rank"}, `${r.rank}`), h("span", {class: "who"}, ctx.name(r.player)),
      h("span", {class: "pts"}, `${Math.round(r.score)}`)))));
}

export function countdown(ctx, deadline, seconds) {
  return deadline ? ring(deadline, seconds, ctx.now) : null;
}

/** A text box and its button, kept across redraws under `key` (typed text is not lost when an
 * event redraws the screen). `send(text)` resolves true when the move was accepted. */
export function textBox(ctx, key, placeholder, label, send, maxLength = 200) {
  return ctx.keep(key, () => {
    const input = h("input", {type: "text", class: "answer", placeholder, maxlength: String(maxLength),
      enterkeyhint: "send", autocomplete: "off"});
    const submit = async (event) => {
      event.preventDefault();
      const text = input.value.trim();
      if (!text) return;
      if (await send(text)) input.value = "";
    };
    return h("form", {class: "say", onsubmit: submit}, input, h("button", {type: "submit", class: "primary"}, label));
  });
}
