import { MapLibre, type GeoJSONSource, type SourceSpecification, type StyleSpecification } from "../maplibre";
import { api, must } from "../api/client";
import { machines, recentAlerts, terminals } from "../data";
import { h, replace } from "../dom";
import { forDisplay, mapConfig, type MapConfig } from "../geo";
import { t } from "../i18n";

const TIANMEN: [number, number] = [113.166, 30.653];
const REFRESH_MS = 10_000;
type Points = GeoJSON.FeatureCollection<GeoJSON.Point>;

function style(config: MapConfig): StyleSpecification {
  const sources: Record<string, SourceSpecification> = {
    machines: { type: "geojson", data: empty() },
    alerts: { type: "geojson", data: empty() },
    boundaries: { type: "geojson", data: empty() },
  };
  if (config.tiles) {
    sources.base = { type: "raster", tiles: [config.tiles], tileSize: 256, attribution: config.attribution };
  }
  return {
    version: 8,
    sources,
    layers: [
      { id: "background", type: "background", paint: { "background-color": "#eef2ee" } },
      ...(config.tiles ? [{ id: "base", type: "raster" as const, source: "base" }] : []),
      { id: "boundary-fill", type: "fill", source: "boundaries", paint: { "fill-color": "#0b3d2e", "fill-opacity": 0.06 } },
      { id: "boundary-line", type: "line", source: "boundaries", paint: { "line-color": "#0b3d2e", "line-width": 1.5 } },
      { id: "alerts", type: "circle", source: "alerts", paint: { "circle-radius": 7, "circle-color": "#b3261e" } },
      { id: "machines", type: "circle", source: "machines",
        paint: { "circle-radius": 5, "circle-color": ["case", ["get", "working"], "#1b6e3a", "#555"] } },
    ],
  };
}

function empty(): GeoJSON.FeatureCollection {
  return { type: "FeatureCollection", features: [] };
}

/** The registry's boundaries, shifted like every other layer when the tiles are GCJ-02. */
async function boundaries(config: MapConfig): Promise<GeoJSON.FeatureCollection> {
  const found = await must(api.GET("/api/v1/jurisdictions/boundaries"));
  return {
    type: "FeatureCollection",
    features: found.features.map((f) => ({
      type: "Feature",
      properties: f.properties,
      geometry: { type: "Polygon", coordinates: f.geometry.coordinates.map((ring) => ring.map(([lng, lat]) => forDisplay(config, lng, lat))) },
    })),
  };
}

function positionRows(live: Points): HTMLTableRowElement[] {
  return live.features.map((f) => h("tr", {}, h("td", {}, String(f.properties?.machine_id)),
    h("td", {}, f.properties?.working ? t("working") : t("idle")),
    h("td", {}, f.geometry.coordinates.map((n) => n.toFixed(5)).join(", "))));
}

function point(config: MapConfig, lng: number, lat: number, properties: Record<string, unknown>): GeoJSON.Feature<GeoJSON.Point> {
  return { type: "Feature", geometry: { type: "Point", coordinates: forDisplay(config, lng, lat) }, properties };
}

async function positions(config: MapConfig): Promise<Points> {
  const states = await terminals(await machines());
  const features = states.flatMap((s) => s.latitude !== null && s.longitude !== null
    ? [point(config, s.longitude, s.latitude, { machine_id: s.machine_id, working: s.working ?? false })] : []);
  return { type: "FeatureCollection", features };
}

/** Live machine positions and the last week's alerts, as vector layers over an optional tile layer. */
export function mapView(main: HTMLElement): () => void {
  const canvas = h("div", { class: "map", role: "region", "aria-label": t("map") });
  const listed = h("tbody");
  const problem = h("p", { role: "status", class: "error" });
  const failed = (error: Error): void => replace(problem, `${t("failed")}: ${error.message}`);
  replace(main, h("h1", {}, t("map")), problem, canvas,
    h("table", { id: "positions" }, h("caption", {}, t("positions")), h("thead", {}, h("tr", {},
      h("th", { scope: "col" }, t("machine")), h("th", { scope: "col" }, t("status")),
      h("th", { scope: "col" }, `${t("longitude")}, ${t("latitude")}`))), listed));
  let timer = 0;
  let map: MapLibre | null = null;
  void mapConfig().then((config) => {
    map = new MapLibre({ container: canvas, style: style(config), center: TIANMEN, zoom: 9.3 });
    const refresh = async (): Promise<void> => {
      const [live, alerts] = await Promise.all([positions(config), recentAlerts(7)]);
      (map?.getSource("machines") as GeoJSONSource | undefined)?.setData(live);
      replace(listed, ...positionRows(live));
      (map?.getSource("alerts") as GeoJSONSource | undefined)?.setData({ type: "FeatureCollection",
        features: alerts.map((a) => point(config, a.longitude, a.latitude, { rule: a.rule })) });
    };
    map.on("load", () => {
      refresh().catch(failed);
      boundaries(config).then((drawn) => (map?.getSource("boundaries") as GeoJSONSource | undefined)?.setData(drawn), failed);
    });
    timer = window.setInterval(() => void refresh().then(() => replace(problem), failed), REFRESH_MS);
  });
  return () => {
    window.clearInterval(timer);
    map?.remove();
  };
}
