// rasd dashboard: map, timeline, table of incidents; incident and article pages.
//
// Security: every piece of data (article text above all) is untrusted. The DOM is built
// with createElement/textContent only, never innerHTML; links are checked to be http(s) or
// internal; no inline handlers or styles (the CSP forbids them).
import L from "leaflet";
import { EVENT_TYPES, LABELS, OTHER_COLOR } from "./i18n.js";

const state = {
  lang: "ar",
  filters: {},
  incidents: [],
  total: 0,
  brush: null, // [firstDay, lastDay] as "YYYY-MM-DD", or null
  countries: new Set(),
  map: null,
  markers: null,
  view: "dashboard",
  token: 0,
};
const PAGE = 1000;
const MAX_INCIDENTS = 5000;
const MAX_ROWS = 500; // table rows drawn; the map and timeline show every incident loaded
const DAY_MS = 86400000;

// ---- helpers ----------------------------------------------------------------------------
const $ = (sel) => document.querySelector(sel);

function t(key, vars) {
  let s = (LABELS[state.lang] && LABELS[state.lang][key]) ?? LABELS.en[key] ?? key;
  for (const [k, v] of Object.entries(vars || {})) s = s.replace(`{${k}}`, v);
  return s;
}

/** An element with attributes and children; strings become text nodes (never HTML). */
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") node.className = v;
    else if (k === "text") node.textContent = v;
    else if (k === "href") node.setAttribute("href", safeHref(v));
    else if (k.startsWith("on")) throw new Error("no inline handlers");
    else node.setAttribute(k, v === true ? "" : String(v));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function svg(tag, attrs) {
  const node = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, String(v));
  return node;
}

/** Only internal (#..., /...) or http(s) links; anything else (javascript:, data:) becomes "#". */
function safeHref(value) {
  const s = String(value ?? "");
  if (s.startsWith("#") || (s.startsWith("/") && !s.startsWith("//"))) return s;
  try {
    const url = new URL(s);
    if (url.protocol === "http:" || url.protocol === "https:") return url.href;
  } catch (_) {
    /* not a URL */
  }
  return "#";
}

function fmtNum(n) {
  if (n === null || n === undefined || Number.isNaN(Number(n))) return "–";
  return new Intl.NumberFormat(state.lang === "ar" ? "ar" : "en").format(Number(n));
}

function dir() {
  return state.lang === "ar" ? "rtl" : "ltr";
}

function parseDay(day) {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(day || "");
  return m ? Date.UTC(+m[1], +m[2] - 1, +m[3]) : null;
}

function isoDay(ms) {
  return new Date(ms).toISOString().slice(0, 10);
}

function fmtDate(day, style = "medium") {
  const ms = parseDay(day);
  if (ms === null) return day || "–";
  return new Intl.DateTimeFormat(state.lang === "ar" ? "ar" : "en", { dateStyle: style, timeZone: "UTC" }).format(
    new Date(ms),
  );
}

function typeName(type) {
  if (!type) return t("unknown");
  return state.lang === "ar" && EVENT_TYPES[type] ? EVENT_TYPES[type].ar : type;
}

function typeColor(type) {
  return (EVENT_TYPES[type] && EVENT_TYPES[type].color) || OTHER_COLOR;
}

function placeName(loc) {
  if (!loc) return t("unknown");
  const name = state.lang === "ar" ? loc.name || loc.name_en : loc.name_en || loc.name;
  return [name, loc.admin1 && loc.admin1 !== name ? loc.admin1 : null, loc.country].filter(Boolean).join("، ");
}

function actors(item) {
  return [item.actor1, item.actor2].filter(Boolean).join(state.lang === "ar" ? " ضد " : " vs ") || "–";
}

async function getJSON(url) {
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  if (!response.ok) {
    let detail = response.statusText;
    try {
      detail = (await response.json()).detail || detail;
    } catch (_) {
      /* not JSON */
    }
    const error = new Error(typeof detail === "string" ? detail : JSON.stringify(detail));
    error.status = response.status;
    throw error;
  }
  return response.json();
}

// A toll the outlets dispute (or deaths told without a figure) has no single figure: show
// the range the articles give, or a dash, never a made-up 0.
function fmtFatalities(item) {
  const told = item.fatalities_range;
  const range = told && told[0] !== null && told[1] !== null ? told : null;
  if (item.fatalities === null || item.fatalities === undefined) {
    return range ? `${fmtNum(range[0])}–${fmtNum(range[1])}` : "–";
  }
  if (range && range[0] !== range[1]) {
    return `${fmtNum(item.fatalities)} (${fmtNum(range[0])}–${fmtNum(range[1])})`;
  }
  return fmtNum(item.fatalities);
}

function radius(fatalities) {
  return Math.min(26, 5 + 3 * Math.sqrt(Math.max(0, Number(fatalities) || 0)));
}

// ---- language ---------------------------------------------------------------------------
function setLang(lang) {
  state.lang = lang === "en" ? "en" : "ar";
  const root = document.documentElement;
  root.lang = state.lang;
  root.dir = state.lang === "ar" ? "rtl" : "ltr";
  try {
    localStorage.setItem("rasd.lang", state.lang);
  } catch (_) {
    /* private mode */
  }
  for (const node of document.querySelectorAll("[data-i18n]")) node.textContent = t(node.dataset.i18n);
  for (const node of document.querySelectorAll("[data-i18n-aria]")) {
    node.setAttribute("aria-label", t(node.dataset.i18nAria));
  }
  document.title = state.lang === "ar" ? "رصد · لوحة الأحداث" : "rasd · incident dashboard";
  fillTypeOptions();
  fillCountryOptions();
  render();
}

// ---- dashboard --------------------------------------------------------------------------
function fillTypeOptions() {
  const select = $("#f-type");
  const chosen = select.value;
  select.replaceChildren(el("option", { value: "" }, t("any")));
  for (const type of Object.keys(EVENT_TYPES)) select.append(el("option", { value: type }, typeName(type)));
  select.value = chosen;
}

function fillCountryOptions() {
  const select = $("#f-country");
  const chosen = select.value;
  select.replaceChildren(el("option", { value: "" }, t("any")));
  let names = null;
  try {
    names = new Intl.DisplayNames([state.lang], { type: "region" });
  } catch (_) {
    /* old browser */
  }
  for (const code of [...state.countries].sort()) {
    let label = code;
    try {
      label = names ? `${names.of(code)} (${code})` : code;
    } catch (_) {
      /* not a region code */
    }
    select.append(el("option", { value: code }, label));
  }
  select.value = chosen;
}

function readFilters() {
  const form = $("#filters");
  const out = {};
  for (const name of ["type", "country", "actor", "from", "to"]) {
    const value = form.elements[name].value.trim();
    if (value) out[name] = value;
  }
  return out;
}

async function loadIncidents() {
  const token = ++state.token;
  $("#summary").textContent = t("loading");
  const items = [];
  let total = 0;
  try {
    for (let offset = 0; offset < MAX_INCIDENTS; offset += PAGE) {
      const params = new URLSearchParams({ ...state.filters, limit: String(PAGE), offset: String(offset) });
      const page = await getJSON(`/api/incidents?${params}`);
      if (token !== state.token) return;
      total = page.total;
      items.push(...page.items);
      if (page.items.length < PAGE || items.length >= total) break;
    }
  } catch (error) {
    if (token === state.token) $("#summary").textContent = t("error", { e: error.message });
    return;
  }
  state.incidents = items;
  state.total = total;
  for (const item of items) if (item.location && item.location.country) state.countries.add(item.location.country);
  fillCountryOptions();
  state.brush = null;
  renderDashboard(true);
}

function visibleIncidents() {
  if (!state.brush) return state.incidents;
  const [a, b] = state.brush;
  return state.incidents.filter((i) => i.date && i.date >= a && i.date <= b);
}

function renderDashboard(fit) {
  const shown = visibleIncidents();
  const fatalities = shown.reduce((s, i) => s + (Number(i.fatalities) || 0), 0);
  const articles = new Set(shown.flatMap((i) => i.articles || []));
  $("#summary").textContent =
    t("summary", { n: fmtNum(state.total), f: fmtNum(fatalities), a: fmtNum(articles.size) }) +
    (state.brush ? ` · ${t("shown", { n: fmtNum(shown.length) })}` : "");
  renderMarkers(shown, fit);
  renderTimeline();
  renderTable(shown);
  renderLegend();
  $("#brush-clear").hidden = !state.brush;
}

function initMap() {
  if (state.map) return;
  const body = document.body;
  const container = $("#map");
  container.setAttribute("dir", "ltr"); // Leaflet lays out its panes left to right
  const map = L.map(container, { center: [28, 38], zoom: 4, minZoom: 2, maxZoom: 14, worldCopyJump: true });
  map.createPane("basemap");
  map.getPane("basemap").style.zIndex = "150"; // under the tiles (200): seen only where tiles fail
  fetch(body.dataset.basemap)
    .then((r) => (r.ok ? r.json() : null))
    .then((data) => {
      if (!data) return;
      L.geoJSON(data, {
        pane: "basemap",
        interactive: false,
        style: { color: "#7d8a99", weight: 1, fillColor: "#f4f1ea", fillOpacity: 1 },
      }).addTo(map);
    })
    .catch(() => {});
  if (body.dataset.tiles) {
    L.tileLayer(body.dataset.tiles, {
      attribution: body.dataset.tilesAttribution || "",
      maxZoom: 18,
      crossOrigin: false,
    }).addTo(map);
  }
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution("Natural Earth");
  state.markers = L.layerGroup().addTo(map);
  state.map = map;
}

function popupFor(item) {
  return el(
    "div",
    { class: "popup", dir: state.lang === "ar" ? "rtl" : "ltr" },
    el("strong", {}, typeName(item.event_type)),
    el("div", {}, fmtDate(item.date)),
    el("div", {}, placeName(item.location)),
    el("div", {}, `${t("fatalities")}: ${fmtFatalities(item)}`),
    el("a", { href: `#/incident/${encodeURIComponent(item.id)}` }, t("incident")),
  );
}

function renderMarkers(items, fit) {
  initMap();
  state.markers.clearLayers();
  const points = [];
  for (const item of items) {
    const loc = item.location;
    if (!loc || typeof loc.lat !== "number" || typeof loc.lon !== "number") continue;
    const color = typeColor(item.event_type);
    const marker = L.circleMarker([loc.lat, loc.lon], {
      radius: radius(item.fatalities),
      color: "#222",
      weight: 1,
      fillColor: color,
      fillOpacity: 0.75,
      className: "incident-marker",
    });
    marker.bindPopup(() => popupFor(item));
    marker.bindTooltip(() => `${typeName(item.event_type)} · ${placeName(loc)}`);
    marker.addTo(state.markers);
    points.push([loc.lat, loc.lon]);
  }
  if (fit && points.length) {
    // Fit the region's points; a stray far-away point (a geocoding slip) should not zoom out the map.
    const inRegion = points.filter(([lat, lon]) => lat > -5 && lat < 50 && lon > -25 && lon < 70);
    const fitTo = inRegion.length ? inRegion : points;
    state.map.fitBounds(L.latLngBounds(fitTo).pad(0.2), { maxZoom: 7, animate: false });
  }
}

function renderLegend() {
  const legend = $("#legend");
  legend.replaceChildren(el("h3", {}, t("legend")));
  for (const type of Object.keys(EVENT_TYPES)) {
    const swatch = el("span", { class: "swatch" });
    swatch.style.backgroundColor = typeColor(type);
    legend.append(el("div", { class: "legend-row" }, swatch, typeName(type)));
  }
  legend.append(el("p", { class: "hint" }, t("radius")));
}

function renderTable(items) {
  const tbody = $("#incidents tbody");
  const rows = items.slice(0, MAX_ROWS).map((item) => {
    const link = el("a", { href: `#/incident/${encodeURIComponent(item.id)}` }, fmtDate(item.date));
    const swatch = el("span", { class: "swatch" });
    swatch.style.backgroundColor = typeColor(item.event_type);
    return el(
      "tr",
      { "data-id": item.id },
      el("td", {}, link),
      el("td", {}, swatch, typeName(item.event_type)),
      el("td", {}, placeName(item.location)),
      el("td", {}, actors(item)),
      el("td", { class: "num" }, fmtFatalities(item)),
      el("td", { class: "num" }, fmtNum((item.articles || []).length)),
    );
  });
  if (!rows.length) rows.push(el("tr", {}, el("td", { colspan: "6", class: "empty" }, t("none"))));
  if (items.length > MAX_ROWS) {
    rows.push(el("tr", {}, el("td", { colspan: "6", class: "empty" }, t("more_rows", { n: fmtNum(MAX_ROWS), m: fmtNum(items.length) }))));
  }
  tbody.replaceChildren(...rows);
}

// ---- timeline with brushing ------------------------------------------------------------
function renderTimeline() {
  const box = $("#timeline");
  const width = Math.max(300, box.clientWidth || box.parentElement.clientWidth || 800);
  const height = 130;
  const pad = { l: 30, r: 10, t: 8, b: 26 };
  box.setAttribute("viewBox", `0 0 ${width} ${height}`);
  box.setAttribute("direction", "ltr");
  box.replaceChildren();
  const dated = state.incidents.filter((i) => parseDay(i.date) !== null);
  if (!dated.length) return;
  const days = dated.map((i) => parseDay(i.date));
  const first = Math.min(...days);
  const last = Math.max(...days);
  const n = Math.round((last - first) / DAY_MS) + 1;
  const perDay = Array.from({ length: n }, () => ({}));
  for (const item of dated) {
    const k = Math.round((parseDay(item.date) - first) / DAY_MS);
    perDay[k][item.event_type] = (perDay[k][item.event_type] || 0) + 1;
  }
  const max = Math.max(1, ...perDay.map((d) => Object.values(d).reduce((a, b) => a + b, 0)));
  const innerW = width - pad.l - pad.r;
  const innerH = height - pad.t - pad.b;
  const bw = innerW / n;
  const x = (k) => pad.l + k * bw;
  const plot = svg("g", { class: "bars" });
  perDay.forEach((counts, k) => {
    let y = pad.t + innerH;
    for (const [type, count] of Object.entries(counts)) {
      const h = (count / max) * innerH;
      y -= h;
      const rect = svg("rect", {
        x: x(k) + 0.5,
        y,
        width: Math.max(1, bw - 1),
        height: h,
        fill: typeColor(type),
        class: "bar",
      });
      const title = svg("title");
      title.textContent = `${fmtDate(isoDay(first + k * DAY_MS))}: ${fmtNum(count)} · ${typeName(type)}`;
      rect.append(title);
      plot.append(rect);
    }
  });
  box.append(plot);
  const axis = svg("g", { class: "axis" });
  axis.append(svg("line", { x1: pad.l, x2: width - pad.r, y1: pad.t + innerH, y2: pad.t + innerH }));
  const ticks = n === 1 ? [0] : [0, Math.floor((n - 1) / 2), n - 1];
  for (const k of new Set(ticks)) {
    const label = svg("text", { x: x(k) + bw / 2, y: height - 8, "text-anchor": "middle", direction: dir() });
    label.textContent = fmtDate(isoDay(first + k * DAY_MS), "short");
    axis.append(label);
  }
  const maxLabel = svg("text", { x: pad.l - 4, y: pad.t + 10, "text-anchor": "end" });
  maxLabel.textContent = fmtNum(max);
  axis.append(maxLabel);
  box.append(axis);

  const sel = svg("rect", { class: "brush", y: pad.t, height: innerH, x: 0, width: 0 });
  if (state.brush) {
    const a = Math.round((parseDay(state.brush[0]) - first) / DAY_MS);
    const b = Math.round((parseDay(state.brush[1]) - first) / DAY_MS);
    sel.setAttribute("x", x(a));
    sel.setAttribute("width", (b - a + 1) * bw);
  }
  box.append(sel);

  const toIndex = (event) => {
    const rect = box.getBoundingClientRect();
    const px = ((event.clientX - rect.left) / rect.width) * width;
    return Math.min(n - 1, Math.max(0, Math.floor((px - pad.l) / bw)));
  };
  let start = null;
  const down = (event) => {
    start = toIndex(event);
    box.setPointerCapture(event.pointerId);
    sel.setAttribute("x", x(start));
    sel.setAttribute("width", bw);
  };
  const move = (event) => {
    if (start === null) return;
    const k = toIndex(event);
    sel.setAttribute("x", x(Math.min(start, k)));
    sel.setAttribute("width", (Math.abs(k - start) + 1) * bw);
  };
  const up = (event) => {
    if (start === null) return;
    const k = toIndex(event);
    const a = Math.min(start, k);
    const b = Math.max(start, k);
    start = null;
    state.brush = [isoDay(first + a * DAY_MS), isoDay(first + b * DAY_MS)];
    renderDashboard(false);
  };
  if (box._rasdHandlers) {
    for (const [name, fn] of box._rasdHandlers) box.removeEventListener(name, fn);
  }
  box._rasdHandlers = [
    ["pointerdown", down],
    ["pointermove", move],
    ["pointerup", up],
  ];
  for (const [name, fn] of box._rasdHandlers) box.addEventListener(name, fn);
}

// ---- highlighted text (displaCy-like) ---------------------------------------------------
/**
 * Render `text` with `spans` ({start, end, cls, label, gloss}) as nested <mark>s. Spans that
 * cross another span's edge (not nested) are left out of the text; they stay in the lists.
 */
function highlighted(text, spans, base = 0) {
  const valid = spans
    .map((s) => ({ ...s, start: s.start - base, end: s.end - base }))
    .filter((s) => Number.isInteger(s.start) && Number.isInteger(s.end) && s.start >= 0 && s.end <= text.length && s.start < s.end)
    .sort((a, b) => a.start - b.start || b.end - a.end || (a.rank || 0) - (b.rank || 0));
  const root = { start: 0, end: text.length, children: [] };
  const stack = [root];
  for (const span of valid) {
    while (stack.length > 1 && stack[stack.length - 1].end <= span.start) stack.pop();
    const top = stack[stack.length - 1];
    if (span.end > top.end) continue; // crosses `top`: not drawable as a nested mark
    const last = top.children[top.children.length - 1];
    if (last && last.end > span.start) continue;
    const node = { ...span, children: [] };
    top.children.push(node);
    stack.push(node);
  }
  const draw = (node, into) => {
    let pos = node.start;
    for (const child of node.children) {
      if (child.start > pos) into.append(document.createTextNode(text.slice(pos, child.start)));
      const mark = el("mark", { class: `hl ${child.cls}`, title: child.gloss || child.label, "data-label": child.label });
      if (child.color) mark.style.setProperty("--hl", child.color);
      draw(child, mark);
      mark.append(el("span", { class: "hl-tag" }, child.gloss ? `${child.label} · ${child.gloss}` : child.label));
      into.append(mark);
      pos = child.end;
    }
    if (pos < node.end) into.append(document.createTextNode(text.slice(pos, node.end)));
  };
  const out = el("div", { class: "doc-text" });
  draw(root, out);
  return out;
}

function entitySpans(entities) {
  const spans = [];
  for (const entity of entities || []) {
    const place = entity.place;
    const gloss = [entity.name_en, place && place.country && place.country !== entity.name_en ? place.country : null]
      .filter(Boolean)
      .join(", ");
    for (const m of entity.mentions || []) {
      spans.push({
        start: m.start,
        end: m.end,
        cls: `ent ent-${entity.type}${place ? " place" : ""}`,
        label: entity.type,
        gloss,
        rank: 2,
      });
    }
  }
  return spans;
}

function attributionSpans(attributions) {
  return (attributions || [])
    .filter((a) => a.span)
    .map((a) => ({ start: a.span.start, end: a.span.end, cls: "src", label: "SRC", gloss: a.source, rank: 1 }));
}

function eventSpans(events) {
  return (events || [])
    .filter((e) => e.evidence_span)
    .map((e) => ({
      start: e.evidence_span.start,
      end: e.evidence_span.end,
      cls: "evt",
      label: e.event_type,
      gloss: e.sub_event_type || "",
      color: typeColor(e.event_type),
      rank: 0,
    }));
}

// ---- incident page ----------------------------------------------------------------------
function field(label, value) {
  return [el("dt", {}, label), el("dd", {}, value ?? "–")];
}

async function renderIncident(id) {
  const view = $("#view-incident");
  view.replaceChildren(el("p", {}, t("loading")));
  let item;
  try {
    item = await getJSON(`/api/incidents/${encodeURIComponent(id)}`);
  } catch (error) {
    view.replaceChildren(backLink(), el("p", { class: "error" }, error.status === 404 ? t("not_found") : t("error", { e: error.message })));
    return;
  }
  const range = item.date_range && item.date_range[0] !== item.date_range[1] ? item.date_range : null;
  const fat = fmtFatalities(item);
  const head = el(
    "dl",
    { class: "facts" },
    field(t("c_type"), `${typeName(item.event_type)}${item.sub_event_type ? ` · ${item.sub_event_type}` : ""}`),
    field(t("c_date"), range ? `${fmtDate(range[0])} – ${fmtDate(range[1])}` : fmtDate(item.date)),
    field(t("location"), placeName(item.location)),
    field(t("actors"), actors(item)),
    field(t("fatalities"), fat),
    field(t("outlets"), (item.outlets || []).join("، ") || "–"),
    field(t("sources"), (item.sources || []).join("، ") || "–"),
  );
  const reports = (item.reports || []).map((report) => {
    const a = report.article || {};
    const spans = [...eventSpans(report.events), ...attributionSpans(report.attributions)];
    const excerpt = report.excerpt || { start: 0, text: "" };
    return el(
      "article",
      { class: "report card", "data-article": a.id },
      el("h3", {}, el("a", { href: `#/article/${encodeURIComponent(a.id)}` }, a.title || a.id)),
      el(
        "dl",
        { class: "facts small" },
        field(t("outlet"), a.source || "–"),
        field(t("published"), fmtDate(a.published)),
        field(
          t("sources"),
          (report.attributions || []).map((s) => `${s.source_ar || ""} (${s.source || ""})`).join("، ") || "–",
        ),
        report.merged_because && report.merged_because.length
          ? field(t("merged_because"), el("span", { dir: "ltr" }, report.merged_because.join("; ")))
          : null,
      ),
      el("h4", {}, t("evidence")),
      highlighted(excerpt.text || "", spans, excerpt.start || 0),
    );
  });
  view.replaceChildren(
    backLink(),
    el("h2", {}, `${t("incident")}: ${typeName(item.event_type)} · ${placeName(item.location)}`),
    head,
    el("h2", {}, t("reports")),
    ...reports,
  );
}

function backLink() {
  return el("p", {}, el("a", { href: "#/", class: "back" }, t("back")));
}

// ---- article page -----------------------------------------------------------------------
async function renderArticle(id) {
  const view = $("#view-article");
  view.replaceChildren(el("p", {}, t("loading")));
  let doc;
  try {
    doc = await getJSON(`/api/articles/${encodeURIComponent(id)}`);
  } catch (error) {
    view.replaceChildren(backLink(), el("p", { class: "error" }, error.status === 404 ? t("not_found") : t("error", { e: error.message })));
    return;
  }
  const text = doc.text ?? (doc.title ? `${doc.title}\n\n${doc.body || ""}` : doc.body || "");
  const spans = [...eventSpans(doc.events), ...attributionSpans(doc.attributions), ...entitySpans(doc.entities)];
  const meta = el(
    "dl",
    { class: "facts small" },
    field(t("outlet"), doc.source || "–"),
    field(t("published"), fmtDate(doc.published)),
    doc.url
      ? field(
          t("original"),
          safeHref(doc.url) === "#"
            ? el("span", { dir: "ltr" }, doc.url) // not http(s): shown, never a link
            : el("a", { href: doc.url, rel: "noopener noreferrer nofollow", target: "_blank", dir: "ltr" }, doc.url),
        )
      : null,
    doc.duplicates && doc.duplicates.length
      ? field(t("duplicates"), doc.duplicates.map((d) => el("a", { href: `#/article/${encodeURIComponent(d.article_id)}` }, `${d.article_id} `)))
      : null,
  );
  const entityRows = (doc.entities || []).map((e) =>
    el("tr", {}, el("td", { class: "ar" }, e.text), el("td", { dir: "ltr" }, e.name_en || "–"), el("td", {}, t(e.type)), el("td", { class: "num" }, fmtNum((e.mentions || []).length))),
  );
  const placeRows = [];
  for (const e of doc.entities || []) {
    if (!e.place) continue;
    const p = e.place;
    placeRows.push(el("tr", {}, el("td", { class: "ar" }, p.name || e.text), el("td", { dir: "ltr" }, p.name_en || "–"), el("td", {}, [p.admin1, p.country].filter(Boolean).join(", ") || "–"), el("td", { dir: "ltr" }, typeof p.lat === "number" ? `${p.lat.toFixed(3)}, ${p.lon.toFixed(3)}` : "–")));
  }
  const eventRows = (doc.events || []).map((e) =>
    el(
      "tr",
      {},
      el("td", {}, typeName(e.event_type), e.sub_event_type ? el("div", { class: "hint" }, e.sub_event_type) : null),
      el("td", {}, fmtDate(e.date)),
      el("td", {}, placeName(e.location)),
      el("td", {}, actors(e)),
      el("td", { class: "num" }, fmtFatalities(e)),
      el("td", {}, e.modality || "–"),
      el("td", {}, (e.sources || []).join("، ") || "–"),
    ),
  );
  const table = (heads, rows) =>
    rows.length
      ? el("table", { class: "list" }, el("thead", {}, el("tr", {}, heads.map((h) => el("th", {}, t(h))))), el("tbody", {}, rows))
      : el("p", { class: "hint" }, "–");
  view.replaceChildren(
    backLink(),
    el("h2", { class: "article-title" }, doc.title || doc.id),
    meta,
    el("div", { class: "legend-inline" }, ["PER", "ORG", "LOC", "SRC", "EVT"].map((k) => el("span", { class: `hl-key key-${k}` }, `${k} · ${t(k)}`))),
    el("div", { class: "article-layout" },
      el("div", { class: "article-body card", id: "article-text" }, highlighted(text, spans)),
      el("div", { class: "article-side" },
        el("h3", {}, t("events")), table(["c_type", "c_date", "location", "actors", "fatalities", "modality", "sources"], eventRows),
        el("h3", {}, t("entities")), table(["arabic", "english", "c_type", "mentions"], entityRows),
        el("h3", {}, t("places")), table(["arabic", "english", "region", "coords"], placeRows),
      ),
    ),
  );
}

// ---- routing ----------------------------------------------------------------------------
function route() {
  const hash = location.hash || "#/";
  const m = /^#\/(incident|article)\/(.+)$/.exec(hash);
  const show = (name) => {
    for (const v of ["dashboard", "incident", "article"]) $(`#view-${v}`).hidden = v !== name;
    state.view = name;
  };
  if (m) {
    const id = decodeURIComponent(m[2]);
    show(m[1]);
    window.scrollTo(0, 0);
    if (m[1] === "incident") renderIncident(id);
    else renderArticle(id);
  } else {
    show("dashboard");
    if (state.map) state.map.invalidateSize();
    renderDashboard(false);
  }
}

function render() {
  const hash = location.hash || "#/";
  if (hash.startsWith("#/incident/") || hash.startsWith("#/article/")) route();
  else if (state.incidents.length || state.map) renderDashboard(false);
}

function start() {
  let lang = "ar";
  try {
    lang = localStorage.getItem("rasd.lang") || "ar";
  } catch (_) {
    /* private mode */
  }
  $("#lang-toggle").addEventListener("click", () => setLang(state.lang === "ar" ? "en" : "ar"));
  $("#filters").addEventListener("submit", (event) => {
    event.preventDefault();
    state.filters = readFilters();
    loadIncidents();
  });
  $("#filters").addEventListener("reset", () => {
    setTimeout(() => {
      state.filters = {};
      loadIncidents();
    }, 0);
  });
  $("#brush-clear").addEventListener("click", () => {
    state.brush = null;
    renderDashboard(false);
  });
  window.addEventListener("hashchange", route);
  window.addEventListener("resize", () => state.view === "dashboard" && renderTimeline());
  setLang(lang);
  const dashboardShown = !/^#\/(incident|article)\//.test(location.hash);
  if (dashboardShown) initMap();
  route();
  loadIncidents();
}

if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
else start();
