// Building the page's DOM. Every text from the server (names, descriptions, answers, questions)
// goes in through textContent, never innerHTML: a member's name cannot become markup.

/** h("button", {class: "big", onclick: f}, "text", child) -> an element. */
export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else if (key === "class") el.className = value;
    else if (key === "text") el.textContent = String(value);
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

const SVG = "http://www.w3.org/2000/svg";

/** A countdown ring: shrinks from full to empty between `start` and `deadline` (server
 * seconds); `now()` gives the server's time. Returns the element; it stops itself once detached. */
export function ring(deadline, seconds, now) {
  const size = 56, r = 24, length = 2 * Math.PI * r;
  const svg = document.createElementNS(SVG, "svg");
  svg.setAttribute("viewBox", `0 0 ${size} ${size}`);
  svg.setAttribute("class", "ring");
  const track = document.createElementNS(SVG, "circle");
  const arc = document.createElementNS(SVG, "circle");
  for (const c of [track, arc]) {
    c.setAttribute("cx", size / 2); c.setAttribute("cy", size / 2); c.setAttribute("r", r);
  }
  track.setAttribute("class", "ring-track");
  arc.setAttribute("class", "ring-arc");
  arc.setAttribute("stroke-dasharray", String(length));
  arc.setAttribute("transform", `rotate(-90 ${size / 2} ${size / 2})`);
  const label = document.createElementNS(SVG, "text");
  label.setAttribute("x", "50%"); label.setAttribute("y", "50%");
  label.setAttribute("class", "ring-label");
  svg.append(track, arc, label);
  const tick = () => {
    const left = Math.min(seconds, Math.max(0, deadline - now())); // never more than the full time
    const share = seconds > 0 ? Math.min(1, left / seconds) : 0;
    arc.setAttribute("stroke-dashoffset", String(length * (1 - share)));
    label.textContent = String(Math.ceil(left));
    svg.classList.toggle("urgent", left <= 5);
  };
  tick();
  let shown = false;
  const timer = setInterval(() => {
    if (svg.isConnected) shown = true;
    else if (shown) return clearInterval(timer); // replaced by a newer render
    tick();
  }, 250);
  return svg;
}

/** A short message at the bottom of the screen (refusals, confirmations). */
export function toast(text, kind = "info") {
  let box = document.getElementById("toast");
  if (!box) {
    box = h("div", {id: "toast", role: "status", "aria-live": "polite"});
    document.body.append(box);
  }
  const item = h("p", {class: `toast ${kind}`, text});
  box.append(item);
  setTimeout(() => item.remove(), 4000);
}
