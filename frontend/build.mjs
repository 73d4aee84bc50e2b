// Build the rasd dashboard into src/rasd/api/static/dist/ (run: `npm ci && node build.mjs`).
//
// - app.js: src/app.js bundled with Leaflet (from npm) by esbuild.
// - app.css: src/app.css + Leaflet's CSS + the Noto Naskh Arabic web font (@fontsource, OFL-1.1),
//   font files and Leaflet images copied beside it.
// - swagger/: Swagger UI (swagger-ui-dist, Apache-2.0) for the /docs page.
// - mena.geojson: simplified country outlines of the Middle East / North Africa region, cut from
//   world-atlas countries-50m (Natural Earth 1:50m, public domain; world-atlas is ISC) and
//   rounded to 0.05 degrees. The dashboard draws it as a basemap under the tile layer, so the map
//   still shows countries when the tile server cannot be reached.
import { mkdirSync, readFileSync, rmSync, writeFileSync, copyFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";
import { feature } from "topojson-client";

const here = dirname(fileURLToPath(import.meta.url));
const out = join(here, "..", "src", "rasd", "api", "static", "dist");
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

await esbuild.build({
  entryPoints: { app: join(here, "src", "app.js") },
  bundle: true,
  minify: true,
  format: "iife",
  target: ["es2020"],
  outdir: out,
  legalComments: "linked",
  logLevel: "warning",
});
await esbuild.build({
  entryPoints: { app: join(here, "src", "app.css") },
  bundle: true,
  minify: true,
  outdir: out,
  loader: { ".png": "file", ".svg": "file", ".woff": "file", ".woff2": "file" },
  assetNames: "assets/[name]-[hash]",
  logLevel: "warning",
});
copyFileSync(join(here, "node_modules", "leaflet", "LICENSE"), join(out, "LICENSE.leaflet.txt"));

// Swagger UI for /docs, served from here so the page needs no CDN and no inline script.
const swagger = join(here, "node_modules", "swagger-ui-dist");
mkdirSync(join(out, "swagger"), { recursive: true });
for (const name of ["swagger-ui-bundle.js", "swagger-ui.css", "LICENSE", "NOTICE"]) {
  copyFileSync(join(swagger, name), join(out, "swagger", name));
}
copyFileSync(
  join(here, "node_modules", "@fontsource", "noto-naskh-arabic", "LICENSE"),
  join(out, "LICENSE.noto-naskh-arabic.txt"),
);

// ---- MENA country outlines --------------------------------------------------------------
const BOX = { west: -20, east: 64, south: 5, north: 44 }; // lon/lat degrees
const STEP = 0.05;
const topo = JSON.parse(readFileSync(join(here, "node_modules", "world-atlas", "countries-50m.json"), "utf8"));
const world = feature(topo, topo.objects.countries);
const round = (v) => Math.round(v / STEP) * STEP;

// Coordinates are clamped to a frame around the region: this cuts far-away parts (Russia's
// Pacific coast, which crosses the antimeridian) along the frame instead of drawing them.
const FRAME = { west: BOX.west - 25, east: BOX.east + 25, south: BOX.south - 15, north: BOX.north + 15 };
const clamp = (v, lo, hi) => Math.min(hi, Math.max(lo, v));

function simplifyRing(ring) {
  const pts = [];
  for (const [x0, y0] of ring) {
    const x = clamp(x0, FRAME.west, FRAME.east);
    const y = clamp(y0, FRAME.south, FRAME.north);
    const p = [+round(x).toFixed(2), +round(y).toFixed(2)];
    const last = pts[pts.length - 1];
    if (!last || last[0] !== p[0] || last[1] !== p[1]) pts.push(p);
  }
  if (pts.length && (pts[0][0] !== pts[pts.length - 1][0] || pts[0][1] !== pts[pts.length - 1][1])) {
    pts.push(pts[0]);
  }
  return pts.length >= 4 ? pts : null;
}

function polygons(geometry) {
  if (!geometry) return [];
  if (geometry.type === "Polygon") return [geometry.coordinates];
  if (geometry.type === "MultiPolygon") return geometry.coordinates;
  return [];
}

function inBox(ring) {
  return ring.some(([x, y]) => x >= BOX.west && x <= BOX.east && y >= BOX.south && y <= BOX.north);
}

const features = [];
for (const f of world.features) {
  const polys = [];
  for (const poly of polygons(f.geometry)) {
    if (!inBox(poly[0])) continue;
    if (poly[0].some(([x]) => x < -170) && poly[0].some(([x]) => x > 170)) continue; // wraps the globe
    const rings = poly.map(simplifyRing).filter(Boolean);
    if (rings.length && rings[0]) polys.push(rings);
  }
  if (!polys.length) continue;
  features.push({
    type: "Feature",
    properties: { name: f.properties.name, iso_n3: f.id ?? null },
    geometry: { type: "MultiPolygon", coordinates: polys },
  });
}
const geojson = {
  type: "FeatureCollection",
  properties: {
    source: "Natural Earth 1:50m admin-0 countries (public domain) via world-atlas 2.0.2 (ISC)",
    region: BOX,
    rounding_degrees: STEP,
  },
  features,
};
writeFileSync(join(out, "mena.geojson"), JSON.stringify(geojson));
console.log(`built ${out}: app.js, app.css, mena.geojson (${features.length} countries)`);
