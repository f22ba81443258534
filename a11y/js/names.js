// Registers an internal axe-core rule that records, while axe runs (and its virtual tree exists),
// the accessible name of every element the publishing rules ask about: images, icons, figures,
// and controls that hold an icon or image. Runs once per isolated world, after axe is loaded.
(() => {
  const NAMED = "img,svg,figure,i,[role=img],[class*=icon],[class*=fa-],[class*=material-],[class*=bi-],[class*=glyphicon]";
  const CONTROL = "a,button,[role=button],[role=link],summary,label";
  globalThis.__a11yNames = new Map();
  axe.configure({
    checks: [{
      id: "a11y-accessible-name",
      evaluate: function (node, options, virtualNode) {
        try { globalThis.__a11yNames.set(node, axe.commons.text.accessibleTextVirtual(virtualNode) || ""); } catch (e) { /* unnamed */ }
        return true;
      },
    }],
    rules: [{
      id: "a11y-accessible-names",
      selector: NAMED + "," + CONTROL,
      excludeHidden: false,
      matches: function (node) { return node.matches(NAMED) || !!node.querySelector(NAMED); },
      any: ["a11y-accessible-name"],
      tags: ["a11y-internal"],
      metadata: { description: "a11y: records accessible names", help: "internal" },
    }],
  });
})();
