// Quiz (docs/games/quiz.md): the question with big choice buttons or a text box, a countdown
// ring, the reveal with its explanation, the running scores and the final ranking.

import {h} from "../dom.js";
import {t} from "../i18n.js";
import {countdown, ranking, scores, textBox} from "./common.js";

export const title = {zh: "答题", en: "Quiz"};
const LETTERS = "ABCDEF";

function answerText(question, given) {
  if (question?.choices && Number.isInteger(given)) return `${LETTERS[given]}. ${question.choices[given]}`;
  return String(given);
}

export function render(ctx, view) {
  const q = view.question;
  const parts = [h("div", {class: "q-head"}, h("span", {class: "q-count"}, t("question", {n: view.index + 1, total: view.total})),
    view.phase === "question" ? countdown(ctx, view.deadline, view.seconds) : null)];
  if (view.phase === "question" && q) {
    parts.push(h("p", {class: "q-text"}, q.text));
    const you = view.you;
    if (ctx.playing && you && !you.answered) {
      if (q.choices) {
        parts.push(h("div", {class: "choices"}, q.choices.map((choice, i) =>
          h("button", {class: "big choice", "data-index": String(i), onclick: () => ctx.act({type: "answer", answer: i, index: view.index})},
            h("b", {}, LETTERS[i]), " ", choice))));
      } else {
        parts.push(textBox(ctx, `quiz-${view.index}`, t("type_answer"), t("send"),
          (text) => ctx.act({type: "answer", answer: text, index: view.index})));
      }
    } else if (you?.answered) {
      parts.push(h("p", {class: "mine"}, t("your_answer", {a: answerText(q, you.answer)})));
    }
    parts.push(h("p", {class: "status"}, t("answered", {n: view.answered_count, of: view.players.length})));
  }
  const reveal = view.reveal;
  if (reveal && view.phase !== "question") {
    const mine = reveal.answers?.[ctx.me];
    const right = reveal.right?.includes(ctx.me);
    parts.push(h("section", {class: "reveal"},
      h("p", {class: "q-text"}, reveal.text),
      h("p", {class: "answer-line"}, t("correct_answer", {a: reveal.answer_index !== null && reveal.answer_index !== undefined
        ? `${LETTERS[reveal.answer_index]}. ${reveal.answer}` : reveal.answer})),
      ctx.playing && mine !== undefined ? h("p", {class: right ? "right" : "wrong"},
        right ? `${t("right")} +${reveal.points?.[ctx.me] ?? 0}` : t("wrong")) : null,
      reveal.explanation ? h("p", {class: "explanation"}, t("explanation", {e: reveal.explanation})) : null));
  }
  if (view.phase === "finished") parts.push(ranking(ctx, view.ranking));
  else parts.push(scores(ctx, view.scores));
  return h("div", {class: "quiz", "data-phase": view.phase, "data-index": String(view.index)}, ...parts);
}
