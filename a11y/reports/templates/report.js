/* a11y report: renders the run embedded as JSON. Page data is hostile: it only ever reaches the
   DOM through textContent, createTextNode and setAttribute on attributes we name (never innerHTML),
   and links to pages only when they are plain http(s). */
(function () {
  "use strict";

  var DATA = JSON.parse(document.getElementById("report-data").textContent);
  var BATCH = 50; // finding cards rendered at a time; "Show more" adds another batch
  var STORE_KEY = "a11y-review/" + DATA.storage_key;
  var FILTERS = ["q", "status", "impact", "rule", "wcag", "engine", "review", "baseline", "pagestatus", "page"];
  var STATUS_LABELS = {
    "violation": "Violation", "needs-review": "Needs review", "error": "Rule error",
    "waived": "Waived (accepted)", "false-positive": "False positive", "passed": "Passed on review"
  };
  var DECISION_LABELS = {
    "confirmed": "Confirmed", "false-positive": "False positive", "accepted": "Accepted (waived)",
    "pass": "Reviewed: passes", "fail": "Reviewed: fails"
  };
  var PAGE_STATUS_LABELS = {
    "violations": "With violations", "review": "Only needs review", "clean": "Clean", "error": "Could not be audited"
  };
  var ENGINE_LABELS = { "axe": "axe-core", "a11y": "a11y publishing rules" };

  var findings = DATA.findings;
  var pages = DATA.pages;
  var pageFindings = pages.map(function () { return []; });
  findings.forEach(function (f, i) { f.i = i; pageFindings[f.p].push(i); });
  var local = loadLocal();
  var filters = {};
  var view = null; // what the current filters show, and how much of it is rendered
  var searchTimer = 0;

  // --- small DOM helpers --------------------------------------------------------------------

  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      var value = attrs[name];
      if (value === null || value === undefined || value === false) { return; }
      if (name === "text") { node.textContent = String(value); } else { node.setAttribute(name, value === true ? "" : String(value)); }
    });
    (children || []).forEach(function (child) {
      if (child === null || child === undefined || child === "") { return; }
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }

  function isSafeHref(href) {
    return typeof href === "string" && (/^https?:\/\/[^\s]+$/i.test(href) || /^#[^\s]*$/.test(href));
  }

  function link(href, text, attrs) {
    if (!isSafeHref(href)) { return el("span", { text: text }); }
    var a = el("a", attrs || {}, [text]);
    a.setAttribute("href", href);
    return a;
  }

  function filterHref(values) {
    var params = new URLSearchParams();
    Object.keys(values).forEach(function (k) { if (values[k]) { params.set(k, values[k]); } });
    return "#" + params.toString();
  }

  function plural(n, one, many) { return n + " " + (n === 1 ? one : (many || one + "s")); }

  function announce(text) {
    var region = document.getElementById("announcer");
    region.textContent = "";
    window.setTimeout(function () { region.textContent = text; }, 50);
  }

  // --- review decisions ---------------------------------------------------------------------

  function loadLocal() {
    try {
      var stored = JSON.parse(window.localStorage.getItem(STORE_KEY) || "{}");
      return stored && typeof stored === "object" ? stored : {};
    } catch (e) { return {}; }
  }

  // Local decisions the review file now carries are the file's: drop them, so "saved in this browser" means unexported edits.
  function reconcileLocal() {
    var changed = false;
    findings.forEach(function (f) {
      var mine = f.fp ? local[f.fp] : undefined;
      if (mine && f.review && mine.decision === f.review.decision && (mine.note || "") === (f.review.note || "")) {
        delete local[f.fp];
        changed = true;
      }
    });
    if (changed) { saveLocal(); }
  }

  function saveLocal() {
    try { window.localStorage.setItem(STORE_KEY, JSON.stringify(local)); } catch (e) { /* private mode: keep in memory */ }
  }

  function reviewOf(f) {
    if (f.fp && Object.prototype.hasOwnProperty.call(local, f.fp)) { return local[f.fp]; }
    return f.review;
  }

  function decisionOf(f) { var r = reviewOf(f); return r && r.decision ? r.decision : ""; }

  // Mirrors Finding.status in a11y/model.py.
  function statusOf(f) {
    var d = decisionOf(f);
    if (d === "false-positive") { return "false-positive"; }
    if (d === "accepted") { return "waived"; }
    if (f.outcome === "needs-review" && d === "fail") { return "violation"; }
    if (f.outcome === "needs-review" && d === "pass") { return "passed"; }
    return f.outcome;
  }

  function today() { return new Date().toISOString().slice(0, 10); }

  function setDecision(f, decision, note) {
    if (!f.fp) { return; }
    var embedded = f.review || null;
    if (!decision && !note && !embedded) { delete local[f.fp]; } else {
      local[f.fp] = decision || note ? {
        decision: decision, note: note, rule: f.rule, page: pages[f.p].key, target: f.target, date: today()
      } : null;
    }
    saveLocal();
  }

  function exportDecisions() {
    var decisions = {};
    findings.forEach(function (f) {
      var r = reviewOf(f);
      if (!f.fp || !r || !r.decision) { return; }
      var entry = { decision: r.decision, note: r.note || "", rule: f.rule, page: pages[f.p].key, target: f.target };
      if (r.date) { entry.date = r.date; }
      decisions[f.fp] = entry;
    });
    // Decisions for pages this run did not audit are kept; those for audited pages are truly stale.
    var audited = new Set(pages.map(function (p) { return p.key; }));
    DATA.stale.forEach(function (s) {
      if (s.fingerprint && !audited.has(s.page) && !decisions[s.fingerprint]) {
        var entry = { decision: s.decision, note: s.note || "", rule: s.rule || "", page: s.page || "", target: s.target || "" };
        decisions[s.fingerprint] = entry;
      }
    });
    var sorted = {};
    Object.keys(decisions).sort().forEach(function (k) { sorted[k] = decisions[k]; });
    return { schema: "a11y-review/1", decisions: sorted };
  }

  function downloadReview() {
    var text = JSON.stringify(exportDecisions(), null, 2) + "\n";
    var url = URL.createObjectURL(new Blob([text], { type: "application/json" }));
    var a = el("a", { download: "review.json", hidden: true });
    a.href = url;
    document.body.appendChild(a);
    a.click();
    a.remove();
    window.setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
    announce("review.json downloaded with " + plural(Object.keys(exportDecisions().decisions).length, "decision"));
  }

  // --- filtering ----------------------------------------------------------------------------

  function pageStatus(pageIndex) {
    if (pages[pageIndex].status === "error") { return "error"; }
    var statuses = pageFindings[pageIndex].map(function (i) { return statusOf(findings[i]); });
    if (statuses.indexOf("violation") >= 0) { return "violations"; }
    if (statuses.indexOf("needs-review") >= 0) { return "review"; }
    return "clean";
  }

  function searchText(f) {
    if (f.searchText === undefined) {
      var page = pages[f.p];
      f.searchText = [f.rule, (DATA.rules[f.rule] || {}).help, f.message, f.suggestion, f.target, f.html, f.wcag.join(" "),
        page.title, page.key, page.url].join("\n").toLowerCase();
    }
    return f.searchText;
  }

  function reviewMatches(f, wanted) {
    var d = decisionOf(f);
    if (wanted === "undecided") { return !d; }
    if (wanted === "decided") { return !!d; }
    return d === wanted;
  }

  function findingMatches(f) {
    if (filters.status && statusOf(f) !== filters.status) { return false; }
    if (filters.impact && f.impact !== filters.impact) { return false; }
    if (filters.rule && f.rule !== filters.rule) { return false; }
    if (filters.engine && f.engine !== filters.engine) { return false; }
    if (filters.wcag && (f.bp || f.wcag.indexOf(filters.wcag) < 0)) { return false; }  // best practice never fails a criterion
    if (filters.review && !reviewMatches(f, filters.review)) { return false; }
    if (filters.baseline && f.baseline !== filters.baseline) { return false; }
    if (filters.q && searchText(f).indexOf(filters.q.toLowerCase()) < 0) { return false; }
    return true;
  }

  function findingFilterActive() {
    return ["q", "status", "impact", "rule", "wcag", "engine", "review", "baseline"].some(function (k) { return !!filters[k]; });
  }

  function pageTextMatches(page) {
    if (!filters.q) { return true; }
    return [page.title, page.key, page.url, page.error].join("\n").toLowerCase().indexOf(filters.q.toLowerCase()) >= 0;
  }

  function computeView() {
    var groups = [];
    var total = 0;
    var active = findingFilterActive();
    pages.forEach(function (page, p) {
      if (filters.page && String(p) !== filters.page) { return; }
      if (filters.pagestatus && pageStatus(p) !== filters.pagestatus) { return; }
      var matching = pageFindings[p].filter(function (i) { return findingMatches(findings[i]); });
      var onlySearch = filters.q && !["status", "impact", "rule", "wcag", "engine", "review", "baseline"].some(function (k) { return !!filters[k]; });
      var showEmpty = !active || (onlySearch && pageFindings[p].length === 0 && pageTextMatches(page));
      if (matching.length || showEmpty) {
        groups.push({ p: p, items: matching });
        total += matching.length;
      }
    });
    return { groups: groups, total: total, group: 0, offset: 0, rendered: 0, cost: 0, limit: BATCH, sections: {} };
  }

  // --- URL fragment <-> filters -------------------------------------------------------------

  function readHash() {
    var hash = window.location.hash.replace(/^#/, "");
    var next = {};
    if (hash.indexOf("=") >= 0) {
      var params = new URLSearchParams(hash);
      FILTERS.forEach(function (k) { next[k] = params.get(k) || ""; });
    }
    return next;
  }

  function writeHash() {
    var href = filterHref(filters);
    if (href === "#") { href = window.location.pathname + window.location.search; }
    try { window.history.replaceState(null, "", href); } catch (e) { /* some file:// set-ups refuse; filters still work */ }
  }

  function setControls() {
    FILTERS.forEach(function (k) {
      var control = document.getElementById("filter-" + k);
      if (control.tagName === "SELECT" && filters[k] && !Array.prototype.some.call(control.options, function (o) { return o.value === filters[k]; })) {
        control.appendChild(el("option", { value: filters[k], text: filters[k] + " (not in this run)" }));
      }
      control.value = filters[k] || "";
    });
  }

  function applyHash(moveFocus) {
    var next = readHash();
    if (!Object.keys(next).length && window.location.hash.length > 1) { return; } // a plain in-page anchor
    var same = FILTERS.every(function (k) { return (next[k] || "") === (filters[k] || ""); });
    filters = next;
    if (!same) { setControls(); render(moveFocus); } else if (moveFocus) { render(true); }
  }

  function readControls() {
    FILTERS.forEach(function (k) { filters[k] = document.getElementById("filter-" + k).value.trim(); });
  }

  // --- filter controls ----------------------------------------------------------------------

  function fillSelect(id, anyLabel, options) {
    var select = document.getElementById(id);
    select.appendChild(el("option", { value: "", text: anyLabel }));
    options.forEach(function (o) { select.appendChild(el("option", { value: o[0], text: o[1] })); });
  }

  function countBy(key) {
    var counts = {};
    findings.forEach(function (f) { var k = key(f); counts[k] = (counts[k] || 0) + 1; });
    return counts;
  }

  function buildControls() {
    var statuses = countBy(statusOf);
    fillSelect("filter-status", "Any status", Object.keys(STATUS_LABELS).map(function (s) { return [s, STATUS_LABELS[s]]; }));
    fillSelect("filter-impact", "Any impact", DATA.impacts.map(function (i) { return [i, i.charAt(0).toUpperCase() + i.slice(1)]; }));
    fillSelect("filter-rule", "Any rule", Object.keys(DATA.rules).map(function (r) { return [r, r]; }));
    var failable = new Set();
    findings.forEach(function (f) { if (!f.bp) { f.wcag.forEach(function (c) { failable.add(c); }); } });
    fillSelect("filter-wcag", "Any criterion", Object.keys(DATA.wcag).filter(function (c) { return failable.has(c); }).map(function (c) {
      var name = DATA.wcag[c].name; return [c, name ? c + " " + name : c];
    }));
    fillSelect("filter-engine", "Any engine", Object.keys(ENGINE_LABELS).map(function (e) { return [e, ENGINE_LABELS[e]]; }));
    fillSelect("filter-review", "Any review state", [["undecided", "No decision"], ["decided", "Any decision"]].concat(
      Object.keys(DECISION_LABELS).map(function (d) { return [d, DECISION_LABELS[d]]; })));
    fillSelect("filter-baseline", "Any", DATA.verdict.baseline ? [["new", "New since the baseline"], ["known", "Known from the baseline"]] : []);
    fillSelect("filter-pagestatus", "Any page", Object.keys(PAGE_STATUS_LABELS).map(function (s) { return [s, PAGE_STATUS_LABELS[s]]; }));
    fillSelect("filter-page", "All pages", pages.map(function (page, p) { return [String(p), pageName(page)]; }));
    return statuses;
  }

  function pageName(page) { return page.title ? page.title + " (" + page.key + ")" : page.key; }

  // --- overview -----------------------------------------------------------------------------

  function table(caption, headers, rows) {
    var head = el("tr", {}, headers.map(function (h) { return el("th", { scope: "col", text: h }); }));
    var body = rows.map(function (cells) {
      return el("tr", {}, cells.map(function (c, i) { return i === 0 ? el("th", { scope: "row" }, [c]) : el("td", {}, [c]); }));
    });
    return el("div", { class: "table-wrap" }, [el("table", {}, [el("caption", { text: caption }), el("thead", {}, [head]), el("tbody", {}, body)])]);
  }

  function countLink(n, values, label) {
    if (!n) { return el("span", { class: "zero", text: "0" }); }
    return link(filterHref(values), String(n), { "aria-label": n + " " + label, class: "count-link" });
  }

  function renderOverview() {
    var box = document.getElementById("overview");
    box.textContent = "";
    var statuses = countBy(statusOf);
    var pageCounts = { violations: 0, review: 0, clean: 0, error: 0 };
    pages.forEach(function (_, p) { pageCounts[pageStatus(p)] += 1; });

    var verdict = DATA.verdict;
    box.appendChild(el("p", { class: "gate gate-" + verdict.status, text: "Gate: " + verdict.headline }));
    if (DATA.interrupted) {
      box.appendChild(el("p", { class: "notice", text: "This run was interrupted: " + plural(pages.length, "page") + " audited, " +
        plural(DATA.not_audited, "page") + " not audited." }));
    }
    var tiles = el("ul", { class: "tiles" }, [
      tile(pages.length, "pages audited", null),
      tile(pageCounts.violations, "pages with violations", { pagestatus: "violations" }),
      tile(pageCounts.clean, "clean pages", { pagestatus: "clean" }),
      tile(pageCounts.error, "pages could not be audited", { pagestatus: "error" }),
      tile(statuses.violation || 0, "violations", { status: "violation" }),
      tile(statuses["needs-review"] || 0, "need review", { status: "needs-review" })
    ]);
    box.appendChild(tiles);
    if (verdict.baseline) { box.appendChild(baselinePanel(verdict.baseline)); }

    var columns = el("div", { class: "overview-grid" });
    columns.appendChild(impactTable(statuses));
    columns.appendChild(wcagTable());
    var rules = ruleTable();
    rules.classList.add("panel-wide");
    columns.appendChild(rules);
    box.appendChild(columns);
  }

  function baselinePanel(counts) {
    var panel = el("div", { class: "panel baseline-panel" });
    panel.appendChild(el("h3", { text: "Against the baseline" }));
    panel.appendChild(el("ul", { class: "tiles" }, [
      tile(counts.new, "new since the baseline", { baseline: "new" }),
      tile(counts.known, "known from the baseline", { baseline: "known" }),
      tile(counts.fixed, "baseline findings fixed", null)
    ]));
    if (DATA.fixed.length) {
      var rows = DATA.fixed.map(function (e) { return [el("span", { text: e.rule }), el("span", { text: e.page }), el("code", { text: e.target })]; });
      panel.appendChild(table("Baseline findings now fixed", ["Rule", "Page", "Selector"], rows));
    }
    return panel;
  }

  function tile(n, label, values) {
    var number = values && n ? link(filterHref(values), String(n), { "aria-label": n + " " + label }) : el("span", { text: String(n) });
    return el("li", { class: "tile" + (values && values.status === "violation" && n ? " tile-bad" : "") }, [
      el("span", { class: "tile-number" }, [number]), el("span", { class: "tile-label", text: label })
    ]);
  }

  function impactTable(statuses) {
    var rows = DATA.impacts.map(function (impact) {
      var v = 0, r = 0;
      findings.forEach(function (f) {
        if (f.impact !== impact) { return; }
        var s = statusOf(f);
        if (s === "violation") { v += 1; } else if (s === "needs-review") { r += 1; }
      });
      return [el("span", { class: "impact impact-" + impact, text: impact }),
        countLink(v, { status: "violation", impact: impact }, impact + " violations"),
        countLink(r, { status: "needs-review", impact: impact }, impact + " findings that need review")];
    });
    var other = [["waived", "waived"], ["false-positive", "false positives"], ["passed", "passed on review"], ["error", "rule errors"]];
    var extra = el("ul", { class: "other-counts" }, other.map(function (o) {
      return el("li", {}, [countLink(statuses[o[0]] || 0, { status: o[0] }, o[1]), " " + o[1]]);
    }));
    return el("div", { class: "panel" }, [el("h3", { text: "By impact" }), table("Findings by impact", ["Impact", "Violations", "Needs review"], rows), extra]);
  }

  function ruleTable() {
    var stats = {};
    findings.forEach(function (f) {
      var s = statusOf(f);
      var row = stats[f.rule] || (stats[f.rule] = { v: 0, r: 0, pages: new Set() });
      if (s === "violation") { row.v += 1; row.pages.add(f.p); } else if (s === "needs-review") { row.r += 1; }
    });
    var ids = Object.keys(stats).filter(function (id) { return stats[id].v || stats[id].r; });
    ids.sort(function (a, b) { return stats[b].v - stats[a].v || stats[b].r - stats[a].r || (a < b ? -1 : 1); });
    var rows = ids.slice(0, 10).map(function (id) {
      var s = stats[id];
      return [el("span", {}, [el("code", { text: id }), el("span", { class: "rule-help", text: (DATA.rules[id] || {}).help || "" })]),
        countLink(s.v, { status: "violation", rule: id }, "violations of " + id),
        countLink(s.r, { status: "needs-review", rule: id }, "findings of " + id + " that need review"),
        String(s.pages.size)];
    });
    var content = rows.length ? table("Rules with the most violations" + (ids.length > 10 ? " (top 10 of " + ids.length + ")" : ""),
      ["Rule", "Violations", "Needs review", "Pages"], rows) : el("p", { text: "No rule fails." });
    return el("div", { class: "panel" }, [el("h3", { text: "Rules that fail most" }), content]);
  }

  function wcagTable() {
    var stats = {};
    findings.forEach(function (f) {
      if (statusOf(f) !== "violation" || f.bp) { return; }
      f.wcag.forEach(function (c) { stats[c] = (stats[c] || 0) + 1; });
    });
    var ids = Object.keys(stats).sort(function (a, b) { return stats[b] - stats[a] || (a < b ? -1 : 1); });
    var rows = ids.slice(0, 10).map(function (c) {
      var info = DATA.wcag[c] || {};
      var name = info.name ? c + " " + info.name : c;
      return [info.url ? link(info.url, name) : el("span", { text: name }), info.level || "",
        countLink(stats[c], { status: "violation", wcag: c }, "violations of WCAG " + c)];
    });
    var content = rows.length ? table("WCAG success criteria with the most violations", ["Criterion", "Level", "Violations"], rows)
      : el("p", { text: "No WCAG criterion fails." });
    var all = el("p", {}, [link("#criteria-heading", "Every WCAG 2.2 Level " + DATA.criteria.level + " criterion, with its status")]);
    return el("div", { class: "panel" }, [el("h3", { text: "WCAG criteria that fail most" }), content, all]);
  }

  // --- WCAG criteria matrix ----------------------------------------------------------------

  var CRITERIA = DATA.criteria;
  var criteriaShown = ""; // the status the matrix is narrowed to; "" shows every criterion
  // Finding statuses that make up each criterion status (what the "Findings" link lists).
  var CRITERION_FINDINGS = { "fails": ["violation"], "needs-review": ["needs-review", "waived", "error"], "reviewed-no-failures": ["passed"] };

  function criteriaPage() {
    var p = filters.page === "" || filters.page === undefined ? -1 : Number(filters.page);
    return p >= 0 && pages[p] && pages[p].status === "ok" ? p : -1;
  }

  function criterionStatus(row, index, p) {
    return p < 0 ? row.status : CRITERIA.statuses[Number(CRITERIA.pages[p].codes.charAt(index))];
  }

  function criterionReason(row, status, p) {
    if (p < 0) { return row.reason; }
    var reason = CRITERIA.pages[p].reasons[row.id];
    if (reason) { return reason; }
    if (status === "no-automated-failures") { return "the rules that test it found no failure on this page"; }
    return row.undecided;
  }

  function criterionFindings(row, status, p) {
    var wanted = CRITERION_FINDINGS[status];
    if (!wanted) { return 0; }
    var pool = p < 0 ? findings : pageFindings[p].map(function (i) { return findings[i]; });
    return pool.filter(function (f) { return !f.bp && f.wcag.indexOf(row.id) >= 0 && wanted.indexOf(statusOf(f)) >= 0; }).length;
  }

  function criterionFindingsLink(row, status, p) {
    var n = criterionFindings(row, status, p);
    if (!n) { return el("span", { class: "zero", text: "–" }); }
    var values = { wcag: row.id, page: p < 0 ? "" : String(p) };
    if (CRITERION_FINDINGS[status].length === 1) { values.status = CRITERION_FINDINGS[status][0]; }
    return link(filterHref(values), plural(n, "finding"), { class: "count-link", "aria-label": plural(n, "finding") + " for " + row.id });
  }

  function pageCountsText(row) {
    return CRITERIA.statuses.filter(function (s) { return row.pages[s]; }).map(function (s) {
      return CRITERIA.labels[s].toLowerCase() + ": " + row.pages[s];
    }).join(", ");
  }

  function criterionRow(row, index, p) {
    var status = criterionStatus(row, index, p);
    var name = row.id + " " + row.name;
    var details = [el("span", { text: criterionReason(row, status, p) })];
    if (status !== "not-applicable" && row.check) {
      details.push(el("details", { class: "check" }, [el("summary", { text: "What a person must check" }), el("p", { text: row.check })]));
    }
    var statusCell = [el("span", { class: "criterion-status status-" + status, text: CRITERIA.labels[status] })];
    if (p < 0) { statusCell.push(el("span", { class: "criterion-pages", text: pageCountsText(row) })); }
    var cells = [el("span", {}, [row.url ? link(row.url, name) : el("span", { text: name }), " (" + row.level + ")"]),
      el("span", {}, statusCell), criterionFindingsLink(row, status, p), el("div", {}, details)];
    return { status: status, cells: cells };
  }

  function renderCriteria() {
    var box = document.getElementById("criteria");
    box.textContent = "";
    var p = criteriaPage();
    var rows = CRITERIA.rows.map(function (row, index) { return criterionRow(row, index, p); });
    var counts = {};
    rows.forEach(function (r) { counts[r.status] = (counts[r.status] || 0) + 1; });
    var scope = p < 0 ? "all " + plural(pages.filter(function (pg) { return pg.status === "ok"; }).length, "audited page")
      : "the page " + pageName(pages[p]);
    box.appendChild(el("p", { class: "criteria-note", text: CRITERIA.note }));
    box.appendChild(el("p", {}, ["WCAG 2.2 Level " + CRITERIA.level + " success criteria on " + scope + ": " +
      CRITERIA.statuses.filter(function (s) { return counts[s]; }).map(function (s) { return counts[s] + " " + CRITERIA.labels[s].toLowerCase(); }).join(", ") + ".",
      p < 0 ? " Choose a page in the filters to see its own statuses." : ""]));

    var select = el("select", { id: "criteria-show" }, [el("option", { value: "", text: "All criteria (" + rows.length + ")" })]);
    CRITERIA.statuses.forEach(function (s) {
      if (counts[s]) { select.appendChild(el("option", { value: s, text: CRITERIA.labels[s] + " (" + counts[s] + ")" })); }
    });
    select.value = counts[criteriaShown] ? criteriaShown : "";
    select.addEventListener("change", function () { criteriaShown = select.value; renderCriteria(); document.getElementById("criteria-show").focus(); });
    box.appendChild(el("div", { class: "field criteria-show" }, [el("label", { for: "criteria-show", text: "Show" }), select]));

    var shown = rows.filter(function (r) { return !select.value || r.status === select.value; });
    var headers = ["Criterion (level)", p < 0 ? "Status (pages)" : "Status", "Findings", "Why, and what a person must check"];
    box.appendChild(table("WCAG 2.2 success criteria, Level " + CRITERIA.level + (select.value ? ": " + CRITERIA.labels[select.value].toLowerCase() : ""),
      headers, shown.map(function (r) { return r.cells; })));
    box.appendChild(el("p", { class: "hint", text: "Statuses are those of the audit, with the decisions passed to it by --review; " +
      "the finding counts follow the decisions recorded in this browser." }));
  }

  // --- results ------------------------------------------------------------------------------

  function render(moveFocus) {
    view = computeView();
    renderCriteria();
    var results = document.getElementById("results");
    results.textContent = "";
    renderMore(false);
    updateCount();
    if (moveFocus) {
      var heading = document.getElementById("results-heading");
      heading.focus();
      heading.scrollIntoView({ block: "start" });
    }
  }

  function updateCount() {
    var shown = view.rendered;
    var text = plural(view.total, "finding") + " on " + plural(view.groups.length, "page") + " match";
    if (view.total === 1) { text = "1 finding on " + plural(view.groups.length, "page") + " matches"; }
    if (shown < view.total) { text += "; showing the first " + shown; }
    document.getElementById("result-count").textContent = text + ".";
    var more = document.getElementById("show-more");
    var left = view.total - shown;
    more.hidden = left <= 0 && view.group >= view.groups.length;
    more.textContent = left > 0 ? "Show " + Math.min(BATCH, left) + " more of " + left + " remaining findings" : "Show more pages";
  }

  // Renders groups and cards until the batch limit; returns the first new card (to focus).
  function renderMore(extend) {
    if (extend) { view.limit += BATCH; }
    var results = document.getElementById("results");
    var first = null;
    while (view.group < view.groups.length) {
      var group = view.groups[view.group];
      var section = view.sections[group.p];
      if (!section) {
        if (view.cost >= view.limit) { break; }
        section = pageSection(group);
        view.sections[group.p] = section;
        results.appendChild(section.node);
        first = first || section.node;
        if (!group.items.length) { view.group += 1; view.cost += 1; continue; }
      }
      while (view.offset < group.items.length && view.cost < view.limit) {
        var card = findingCard(findings[group.items[view.offset]]);
        section.list.appendChild(card);
        first = first || card;
        view.offset += 1;
        view.rendered += 1;
        view.cost += 1;
      }
      if (view.offset < group.items.length) { break; }
      view.group += 1;
      view.offset = 0;
    }
    return first;
  }

  function pageSection(group) {
    var page = pages[group.p];
    var id = "page-" + group.p;
    var heading = el("h3", { id: id + "-heading", tabindex: "-1", text: page.title || page.key });
    var rows = [];
    if (page.source) { rows.push(el("dt", { text: "Source" }), el("dd", {}, [el("code", { text: page.source })])); }
    if (page.href || !page.source) {
      // Local files were served from a loopback address that is gone after the run: not worth a link.
      rows.push(el("dt", { text: "Address" }), el("dd", {}, [page.href ? link(page.href, page.url, { rel: "noopener noreferrer" }) : el("span", { text: page.url || "none" })]));
    }
    rows.push(el("dt", { text: "Status" }), el("dd", { text: PAGE_STATUS_LABELS[pageStatus(group.p)] + ", " + plural(pageFindings[group.p].length, "finding") }));
    var meta = el("dl", { class: "page-meta" }, rows);
    var children = [heading, meta];
    if (page.error) { children.push(el("p", { class: "page-error" }, [el("strong", { text: "Could not be audited: " }), page.error])); }
    if (page.warnings.length) {
      children.push(el("ul", { class: "page-warnings", "aria-label": "Warnings" }, page.warnings.map(function (w) { return el("li", { text: w }); })));
    }
    var list = el("ol", { class: "findings", "aria-label": "Findings on this page" });
    var body = el("div", { class: "page-body" });
    if (!group.items.length && !page.error) { body.appendChild(el("p", { class: "no-findings", text: pageFindings[group.p].length ? "No finding here matches the filters." : "No findings on this page." })); }
    body.appendChild(list);
    var shot = group.items.length ? screenshotFigure(group) : null;
    if (group.items.length && !page.shot) { body.insertBefore(el("p", { class: "no-findings", text: "No screenshot was taken of this page." }), list); }
    var layout = el("div", { class: shot ? "page-layout" : "page-layout no-shot" }, [shot, body]);
    children.push(layout);
    // A plain section, not a named region: 500 page landmarks would drown the real ones.
    var node = el("section", { class: "page", id: id }, children);
    return { node: node, list: list, shot: shot };
  }

  // Box geometry: finding boxes are page CSS px; the screenshot may be a different pixel size.
  function geometry(page) {
    var shot = page.shot;
    var cssW = page.size && page.size[0] ? page.size[0] : shot.w;
    var cssH = page.size && page.size[1] ? page.size[1] : shot.h;
    var k = shot.w / cssW; // image px per CSS px
    return { shot: shot, k: k, cssW: cssW, cssH: cssH };
  }

  function screenshotFigure(group) {
    var page = pages[group.p];
    if (!page.shot) { return null; }
    var g = geometry(page);
    var boxed = group.items.filter(function (i) { return findings[i].box; });
    var img = el("img", { src: page.shot.src, width: page.shot.w, height: page.shot.h, loading: "lazy", decoding: "async",
      alt: "The page \u201c" + (page.title || page.key) + "\u201d as rendered, with numbered boxes on the " + plural(boxed.length, "element") + " that have findings listed here." });
    var frame = el("div", { class: "shot-frame" }, [img]);
    var layer = el("div", { class: "shot-boxes", "aria-hidden": "true" });
    boxed.forEach(function (i) {
      var f = findings[i];
      var b = f.box;
      var box = el("div", { class: "shot-box impact-border-" + f.impact, "data-finding": i, title: "Finding " + f.n + ": " + f.rule });
      box.style.left = (b[0] * g.k / g.shot.w * 100) + "%";
      box.style.top = (b[1] * g.k / g.shot.h * 100) + "%";
      box.style.width = (b[2] * g.k / g.shot.w * 100) + "%";
      box.style.height = (b[3] * g.k / g.shot.h * 100) + "%";
      box.appendChild(el("span", { class: "shot-box-label", text: String(f.n) }));
      box.addEventListener("click", function () { revealFinding(i); });
      layer.appendChild(box);
    });
    frame.appendChild(layer);
    var scroller = el("div", { class: "shot-scroll", tabindex: "0", role: "region",
      "aria-label": "Screenshot of " + (page.title || page.key) + " (scrollable)" }, [frame]);
    var summary = el("summary", { text: "Screenshot with " + plural(boxed.length, "marked element") });
    var enlarge = el("button", { type: "button", class: "button button-small", "aria-pressed": "false", text: "Enlarge screenshot" });
    enlarge.addEventListener("click", function () {
      var on = enlarge.getAttribute("aria-pressed") !== "true";
      enlarge.setAttribute("aria-pressed", String(on));
      enlarge.closest(".page-layout").classList.toggle("enlarged", on);
    });
    return el("details", { class: "shot", open: true }, [summary, el("p", { class: "shot-tools" }, [enlarge]), scroller]);
  }

  function revealFinding(i) {
    var card = document.getElementById("finding-" + i);
    var guard = 0;
    while (!card && guard < 10000 && view.group < view.groups.length) {
      renderMore(true);
      updateCount();
      card = document.getElementById("finding-" + i);
      guard += 1;
    }
    if (card) {
      var heading = card.querySelector("h4");
      heading.focus();
      heading.scrollIntoView({ block: "center" });
    }
  }

  function showOnScreenshot(f) {
    var section = view.sections[f.p];
    if (!section || !section.shot) { return; }
    section.shot.open = true;
    var box = section.shot.querySelector('[data-finding="' + f.i + '"]');
    if (!box) { return; }
    section.shot.querySelectorAll(".shot-box.active").forEach(function (b) { b.classList.remove("active"); });
    box.classList.add("active");
    var scroller = section.shot.querySelector(".shot-scroll");
    var top = box.offsetTop - scroller.clientHeight / 3;
    scroller.scrollTop = Math.max(0, top);
    scroller.focus({ preventScroll: true });
    scroller.scrollIntoView({ block: "nearest" });
    announce("Finding " + f.n + " is highlighted on the screenshot.");
  }

  function crop(f) {
    var page = pages[f.p];
    if (!page.shot || !f.box) { return null; }
    var g = geometry(page);
    var pad = 8;
    var x0 = Math.max(0, f.box[0] - pad), y0 = Math.max(0, f.box[1] - pad);
    var x1 = Math.min(g.cssW, f.box[0] + f.box[2] + pad), y1 = Math.min(g.cssH, f.box[1] + f.box[3] + pad);
    var w = x1 - x0, h = y1 - y0;
    if (w <= 0 || h <= 0) { return null; }
    var s = Math.min(2, 240 / w, 180 / h); // display px per CSS px: small icons grow, big blocks shrink
    var node = el("div", { class: "crop", role: "img", "aria-label": "The element, cropped from the page screenshot" });
    node.style.width = (w * s) + "px";
    node.style.height = (h * s) + "px";
    node.style.backgroundImage = "url(\"" + page.shot.src + "\")";
    node.style.backgroundSize = (g.shot.w / g.k * s) + "px " + (g.shot.h / g.k * s) + "px";
    node.style.backgroundPosition = (-x0 * s) + "px " + (-y0 * s) + "px";
    var mark = el("div", { class: "crop-mark" });
    mark.style.left = ((f.box[0] - x0) * s) + "px";
    mark.style.top = ((f.box[1] - y0) * s) + "px";
    mark.style.width = (f.box[2] * s) + "px";
    mark.style.height = (f.box[3] * s) + "px";
    node.appendChild(mark);
    return el("div", { class: "crop-wrap" }, [node]);
  }

  function badges(f) {
    var status = statusOf(f);
    var items = [
      el("span", { class: "badge impact impact-" + f.impact, text: f.impact }),
      el("span", { class: "badge status status-" + status, text: STATUS_LABELS[status] || status }),
      el("span", { class: "badge engine", text: ENGINE_LABELS[f.engine] || f.engine })
    ];
    if (f.baseline) { items.push(el("span", { class: "badge baseline", text: f.baseline === "new" ? "New since baseline" : "Known from baseline" })); }
    return el("p", { class: "badges" }, items);
  }

  function wcagLinks(f) {
    if (!f.wcag.length) { return el("span", { text: "Best practice (no WCAG criterion)" }); }
    var list = el("ul", { class: "inline-list" });
    f.wcag.forEach(function (c) {
      var info = DATA.wcag[c] || {};
      var text = (info.name ? c + " " + info.name + " (" + info.level + ")" : c) + (f.bp ? ", best practice: does not fail it" : "");
      list.appendChild(el("li", {}, [info.url ? link(info.url, text) : el("span", { text: text })]));
    });
    return list;
  }

  function ruleDoc(f) {
    var rule = DATA.rules[f.rule] || {};
    var parts = [];
    Object.keys(rule.doc || {}).forEach(function (title) {
      parts.push(el("h5", { text: title }));
      rule.doc[title].split(/\n\s*\n/).forEach(function (para) { parts.push(el("p", { class: "doc-text", text: para.trim() })); });
    });
    if (rule.url) {
      parts.push(el("p", {}, [link(rule.url, f.engine === "axe" ? "axe-core documentation for " + f.rule : "Full documentation for " + f.rule,
        { rel: "noopener noreferrer" })]));
    }
    if (!parts.length) { return null; }
    return el("details", { class: "rule-doc" }, [el("summary", { text: "About the rule " + f.rule }), el("div", {}, parts)]);
  }

  function copyText(text, button) {
    function done() { announce("Copied to the clipboard."); button.textContent = "Copied"; window.setTimeout(function () { button.textContent = "Copy suggestion"; }, 2000); }
    function fallback() {
      var area = el("textarea", { class: "visually-hidden", "aria-hidden": "true", tabindex: "-1" });
      area.value = text;
      document.body.appendChild(area);
      area.select();
      try { document.execCommand("copy"); done(); } catch (e) { announce("Copy failed; select the text and copy it."); }
      area.remove();
      button.focus();
    }
    if (navigator.clipboard && navigator.clipboard.writeText) { navigator.clipboard.writeText(text).then(done, fallback); } else { fallback(); }
  }

  function suggestionBlock(f) {
    if (!f.suggestion) { return null; }
    var button = el("button", { type: "button", class: "button button-small", text: "Copy suggestion" });
    button.addEventListener("click", function () { copyText(f.suggestion, button); });
    return el("div", { class: "suggestion" }, [el("h5", { text: "Suggested fix" }), el("pre", {}, [el("code", { text: f.suggestion })]), button]);
  }

  function reviewControls(f, card) {
    var base = "finding-" + f.i;
    var select = el("select", { id: base + "-decision" });
    select.appendChild(el("option", { value: "", text: "No decision" }));
    var choices = ["confirmed", "false-positive", "accepted"];
    if (f.outcome === "needs-review") { choices = ["pass", "fail"].concat(choices); }
    choices.forEach(function (d) { select.appendChild(el("option", { value: d, text: DECISION_LABELS[d] })); });
    var current = reviewOf(f) || {};
    select.value = current.decision || "";
    var note = el("textarea", { id: base + "-note", rows: "2" });
    note.value = current.note || "";
    var saved = el("p", { class: "review-saved", text: current.decision ? savedText(f) : "" });
    function save() {
      setDecision(f, select.value, note.value);
      refreshCard(f, card);
      saved.textContent = select.value ? savedText(f) : (note.value ? "Note kept in this browser; choose a decision to export it." : "");
      renderOverview();
      renderCriteria();
      renderReviewPanel();
    }
    select.addEventListener("change", function () { save(); announce(select.value ? "Decision saved: " + DECISION_LABELS[select.value] : "Decision cleared"); });
    var timer = 0;
    note.addEventListener("input", function () { window.clearTimeout(timer); timer = window.setTimeout(save, 400); });
    note.addEventListener("change", save);
    return el("fieldset", { class: "review-controls" }, [
      el("legend", { text: "Your review" }),
      el("div", { class: "field" }, [el("label", { for: base + "-decision", text: "Decision" }), select]),
      el("div", { class: "field field-note" }, [el("label", { for: base + "-note", text: "Note" }), note]),
      saved
    ]);
  }

  function savedText(f) {
    var r = reviewOf(f) || {};
    var from = f.fp && Object.prototype.hasOwnProperty.call(local, f.fp) ? "saved in this browser" : "applied by the run (from the review file)";
    return DECISION_LABELS[r.decision] + ", " + from + (r.date ? " (" + r.date + ")" : "") + ".";
  }

  function refreshCard(f, card) {
    var status = statusOf(f);
    card.className = "finding status-" + status;
    card.querySelector(".badges").replaceWith(badges(f));
  }

  function findingCard(f) {
    var rule = DATA.rules[f.rule] || {};
    var id = "finding-" + f.i;
    var heading = el("h4", { id: id + "-heading", tabindex: "-1" }, [
      el("span", { class: "finding-number", text: String(f.n) }), " ", el("code", { class: "rule-id", text: f.rule }),
      rule.help ? el("span", { class: "rule-help", text: rule.help }) : null
    ]);
    var where = el("dl", { class: "where" }, [
      el("dt", { text: "Selector" }), el("dd", {}, [el("code", { class: "selector", text: f.target })]),
      el("dt", { text: "HTML" }), el("dd", {}, [el("pre", { class: "snippet" }, [el("code", { text: f.html || "(none)" })])]),
      el("dt", { text: "WCAG" }), el("dd", {}, [wcagLinks(f)]),
      f.fp ? el("dt", { text: "Fingerprint" }) : null, f.fp ? el("dd", {}, [el("code", { text: f.fp })]) : null
    ]);
    var card = el("li", { class: "finding status-" + statusOf(f), id: id, "data-fingerprint": f.fp || null });
    var visual = crop(f);
    var head = el("div", { class: "finding-head" }, [badges(f), el("p", { class: "message", text: f.message })]);
    var unplaced = !f.box && pages[f.p].shot ? el("p", { class: "unplaced", text: "Not marked on the screenshot: the element has no size on the page, or its position is unknown." }) : null;
    var rest = el("div", { class: "finding-rest" }, [unplaced, suggestionBlock(f), where, ruleDoc(f)]);
    var body = el("div", { class: visual ? "finding-body" : "finding-body no-crop" }, [head, visual, rest]);
    var article = el("article", { "aria-labelledby": id + "-heading" }, [heading, body]);
    if (f.box && pages[f.p].shot) {
      var locate = el("button", { type: "button", class: "button button-small", text: "Show finding " + f.n + " on the screenshot" });
      locate.addEventListener("click", function () { showOnScreenshot(f); });
      article.appendChild(el("p", { class: "locate" }, [locate]));
    }
    article.appendChild(reviewControls(f, card));
    card.appendChild(article);
    return card;
  }

  // --- review panel -------------------------------------------------------------------------

  function renderReviewPanel() {
    var panel = document.getElementById("review-panel");
    panel.textContent = "";
    var counts = countBy(decisionOf);
    var madeHere = Object.keys(local).filter(function (fp) { return local[fp] && local[fp].decision; }).length;
    panel.appendChild(el("p", {}, ["Record a decision on any finding with its Decision menu. Decisions are kept in this browser (" +
      plural(madeHere, "decision") + " made here so far). Download them as ", el("code", { text: "review.json" }), " and run ",
      el("code", { text: "a11y audit \u2026 --review review.json" }), " to apply them to the next run."]));
    var list = el("ul", { class: "other-counts" }, Object.keys(DECISION_LABELS).map(function (d) {
      return el("li", {}, [countLink(counts[d] || 0, { review: d }, "findings marked " + DECISION_LABELS[d].toLowerCase()), " " + DECISION_LABELS[d].toLowerCase()]);
    }));
    panel.appendChild(list);
    var download = el("button", { type: "button", class: "button", id: "download-review", text: "Download review.json" });
    download.addEventListener("click", downloadReview);
    var forget = el("button", { type: "button", class: "button button-secondary", id: "forget-review", text: "Forget decisions made in this browser" });
    forget.addEventListener("click", function () {
      if (!window.confirm("Forget the " + plural(madeHere, "decision") + " made in this browser?")) { return; }
      local = {};
      saveLocal();
      renderOverview();
      renderCriteria();
      renderReviewPanel();
      render(false);
      announce("Decisions made in this browser were forgotten.");
    });
    panel.appendChild(el("p", { class: "actions" }, [download, " ", forget]));
    if (DATA.stale.length) {
      var rows = DATA.stale.map(function (s) {
        return [el("code", { text: s.fingerprint || "" }), DECISION_LABELS[s.decision] || s.decision || "", s.note || "", s.rule || "", s.page || "", el("code", { text: s.target || "" })];
      });
      panel.appendChild(el("h3", { text: "Stale decisions (" + DATA.stale.length + ")" }));
      panel.appendChild(el("p", { text: "These decisions from the review file match no finding of this run: the element was fixed, changed, or its page was not audited." }));
      panel.appendChild(table("Decisions whose finding is gone", ["Fingerprint", "Decision", "Note", "Rule", "Page", "Selector"], rows));
    }
  }

  // --- wiring -------------------------------------------------------------------------------

  function onFilterChange() {
    readControls();
    writeHash();
    render(false);
  }

  function runMeta() {
    var tool = DATA.tool || {};
    var started = String(DATA.started || "").replace("T", " ").replace(/:\d\d(\+00:00|Z)$/, " UTC");
    var parts = [plural(pages.length, "page") + " audited", "started " + started, "took " + DATA.duration_s + " s"];
    if (tool.standard) { parts.push("standard " + tool.standard); }
    if (DATA.interrupted) { parts.push("interrupted before the end"); }
    document.getElementById("run-meta").textContent = parts.join(", ") + ".";
    var versions = [(tool.name || "a11y") + " " + (tool.version || ""), tool.axe ? "axe-core " + tool.axe : "", tool.browser || ""];
    document.getElementById("tool-meta").textContent = "Made by " + versions.filter(Boolean).join(", ") + ".";
  }

  function wireInPageLinks() {
    // Section links and the skip link move focus without replacing the filter fragment.
    document.addEventListener("click", function (event) {
      var a = event.target.closest ? event.target.closest("a[href^='#']") : null;
      if (!a) { return; }
      var hash = a.getAttribute("href").slice(1);
      if (!hash) { return; }
      if (hash.indexOf("=") >= 0) {
        // A count that sets the filters: a history entry of its own, and focus to the results.
        event.preventDefault();
        try { window.history.pushState(null, "", "#" + hash); } catch (e) { /* file:// may refuse; filters still apply */ }
        applyHash(true);
        return;
      }
      var target = document.getElementById(hash);
      if (!target) { return; }
      event.preventDefault();
      target.focus();
      target.scrollIntoView({ block: "start" });
    });
  }

  function init() {
    reconcileLocal();
    runMeta();
    buildControls();
    filters = readHash();
    setControls();
    renderOverview();
    renderReviewPanel();
    render(false);
    var form = document.getElementById("filters");
    form.addEventListener("change", function (event) { if (event.target.id !== "filter-q") { onFilterChange(); } });
    form.addEventListener("submit", function (event) { event.preventDefault(); onFilterChange(); });
    document.getElementById("filter-q").addEventListener("input", function () {
      window.clearTimeout(searchTimer);
      searchTimer = window.setTimeout(onFilterChange, 200);
    });
    document.getElementById("clear-filters").addEventListener("click", function () {
      filters = {};
      setControls();
      writeHash();
      render(false);
      announce("Filters cleared.");
    });
    document.getElementById("show-more").addEventListener("click", function () {
      var first = renderMore(true);
      updateCount();
      if (first) { first.querySelector("h3, h4").focus(); }
    });
    // Back/forward and a fragment typed into the address bar.
    window.addEventListener("hashchange", function () { applyHash(false); });
    window.addEventListener("popstate", function () { applyHash(false); });
    wireInPageLinks();
    document.documentElement.setAttribute("data-ready", "true");
  }

  init();
}());
