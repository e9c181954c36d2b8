// Game screens by game name. A game that needs its own screen adds one line here and a module
// beside this one exporting `title` ({zh, en}), `render(ctx, view)` -> Node and, optionally,
// `onEvent(ctx, event)` for moments the view does not keep. Modules load only when needed.
const GAMES = {
  quiz: () => import("./quiz.js"),
  spy: () => import("./spy.js"),
  song: () => import("./song.js"),
};

export async function loadGame(name) {
  const load = GAMES[name] || (() => import("./generic.js"));
  return {name, ...(await load())};
}
