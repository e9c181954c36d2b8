// Any game without a screen of its own: watch it (its scores, if the view has them) and play
// it from the chat. A game adds a real screen through games/registry.js.

import {h} from "../dom.js";
import {t} from "../i18n.js";
import {ranking, scores} from "./common.js";

export const title = null;

export function render(ctx, view) {
  if (view?.ranking && view.phase === "finished") return ranking(ctx, view.ranking);
  if (view?.scores) return scores(ctx, view.scores);
  return h("p", {class: "status"}, t("spectating"));
}
