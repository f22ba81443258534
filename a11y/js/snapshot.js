// Runs in a11y's isolated world (axe-core already loaded there), so page scripts cannot
// tamper with what it sees. One call returns plain data: the rendered DOM serialised with a
// document-order index on every element, and per element the facts only a browser knows.
(axeTargets) => {
  const VOID = new Set(["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr"]);
  // noscript content is text to a browser with scripting on: never elements for our rules
  const NO_CONTENT = new Set(["script", "style", "noscript"]);
  // Accessible names were computed by axe-core's accname code during its run (see names.js),
  // so no second virtual tree is built here: on a 50,000-element page that costs seconds.
  const names = globalThis.__a11yNames || new Map();
  const ICONISH = new Set(["i", "span", "em", "b"]);
  const escText = (s) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/\u00a0/g, "&nbsp;");
  const escAttr = (s) => s.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/\u00a0/g, "&nbsp;");
  const sx = window.scrollX, sy = window.scrollY;


  const elements = [];
  const out = [];
  const hiddenFromAT = (el, parentHidden) => {
    if (parentHidden) return true;
    if (el.getAttribute("aria-hidden") === "true") return true;
    if (el.hasAttribute("inert")) return true;
    return false;
  };
  const isClipped = (style, rect) => {
    const clip = style.clip;
    if (clip && /rect\(\s*0(px)?[\s,]+0(px)?[\s,]+0(px)?[\s,]+0(px)?\s*\)/.test(clip)) return true;
    const clipPath = style.clipPath;
    if (clipPath && /inset\(\s*(50%|100%)/.test(clipPath)) return true;
    if (rect.width <= 1 && rect.height <= 1 && style.overflow === "hidden") return true;
    return false;
  };
  const pseudoBefore = (el) => {
    const content = getComputedStyle(el, "::before").content;
    if (!content || content === "none" || content === "normal") return null;
    return content;
  };

  function visit(el, parentHidden, parentDisplayed) {
    const index = elements.length;
    const tag = el.localName;
    const style = getComputedStyle(el);
    const displayed = parentDisplayed && style.display !== "none" && (el.checkVisibility ? el.checkVisibility({ visibilityProperty: true }) : style.visibility !== "hidden");
    const rect = el.getBoundingClientRect();
    const atHidden = !displayed || hiddenFromAT(el, parentHidden);
    const fact = {
      i: index,
      d: displayed ? style.display : "none",
      v: displayed && (rect.width > 0 || rect.height > 0) && !isClipped(style, rect),
      h: atHidden,
      b: [Math.round(rect.left + sx), Math.round(rect.top + sy), Math.round(rect.width), Math.round(rect.height)],
    };
    if (names.has(el)) fact.n = names.get(el);
    // Icon fonts: a small, classed, empty i/span whose ::before draws the glyph. Asking every
    // span for its ::before style is costly, so only those shapes are asked.
    if (displayed && ICONISH.has(tag) && rect.width <= 64 && rect.height <= 64 && el.hasAttribute("class") && !el.textContent.trim()) {
      fact.pb = pseudoBefore(el);
    }
    elements.push(fact);

    let attrs = "";
    for (const attr of el.attributes) attrs += " " + attr.name + '="' + escAttr(attr.value) + '"';
    out.push("<" + tag + attrs + ' data-a11y-i="' + index + '">');
    if (VOID.has(tag)) return;
    if (!NO_CONTENT.has(tag)) {
      const kids = tag === "template" ? el.content.childNodes : el.childNodes;
      for (const child of kids) {
        if (child.nodeType === 1) visit(child, atHidden, displayed && tag !== "template");
        else if (child.nodeType === 3) out.push(escText(child.data));
      }
    }
    out.push("</" + tag + ">");
  }

  const root = document.documentElement;
  if (root) visit(root, false, true);

  const targets = {};
  for (const target of axeTargets || []) {
    try {
      const el = typeof target === "string" ? document.querySelector(target) : axe.utils.shadowSelect(target);
      if (!el) continue;
      const r = el.getBoundingClientRect();
      targets[JSON.stringify(target)] = [Math.round(r.left + sx), Math.round(r.top + sy), Math.round(r.width), Math.round(r.height)];
    } catch (e) { /* an unusual selector: no box */ }
  }

  const doctype = document.doctype ? "<!DOCTYPE " + document.doctype.name + ">" : "";
  // One JSON string: far cheaper over the DevTools protocol than a deep object by value.
  return JSON.stringify({
    html: doctype + out.join(""),
    elements,
    title: document.title || "",
    url: location.href,
    lang: root ? root.getAttribute("lang") : null,
    size: [Math.max(root ? root.scrollWidth : 0, innerWidth), Math.max(root ? root.scrollHeight : 0, innerHeight)],
    targets,
  });
}
