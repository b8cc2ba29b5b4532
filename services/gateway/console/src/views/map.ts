import { Map as MapLibre, type GeoJSONSource, type SourceSpecification, type StyleSpecification } from "maplibre-gl";
import "maplibre-gl/dist/maplibre-gl.css";
import { api, must } from "../api/client";
import { machines, recentAlerts } from "../data";
import { h, replace } from "../dom";
import { forDisplay, mapConfig, type MapConfig } from "../geo";
import { t } from "../i18n";

const TIANMEN: [number, number] = [113.166, 30.653];
const REFRESH_MS = 10_000;
const MOST_TERMINALS = 200;
type Points = GeoJSON.FeatureCollection<GeoJSON.Point>;

function style(config: MapConfig): StyleSpecification {
  const sources: Record<string, SourceSpecification> = {
    machines: { type: "geojson", data: empty() },
    alerts: { type: "geojson", data: empty() },
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
      { id: "alerts", type: "circle", source: "alerts", paint: { "circle-radius": 7, "circle-color": "#b3261e" } },
      { id: "machines", type: "circle", source: "machines",
        paint: { "circle-radius": 5, "circle-color": ["case", ["get", "working"], "#1b6e3a", "#555"] } },
    ],
  };
}

function empty(): Points {
  return { type: "FeatureCollection", features: [] };
}

function point(config: MapConfig, lng: number, lat: number, properties: Record<string, unknown>): GeoJSON.Feature<GeoJSON.Point> {
  return { type: "Feature", geometry: { type: "Point", coordinates: forDisplay(config, lng, lat) }, properties };
}

async function positions(config: MapConfig): Promise<Points> {
  const bound = (await machines()).filter((m) => m.terminal_id).slice(0, MOST_TERMINALS);
  const states = await Promise.all(bound.map((m) =>
    must(api.GET("/api/v1/terminals/{terminal_id}", { params: { path: { terminal_id: m.terminal_id ?? "" } } }))
      .catch(() => null)));
  const features = states.flatMap((s) => s && s.latitude !== null && s.longitude !== null
    ? [point(config, s.longitude, s.latitude, { machine_id: s.machine_id, working: s.working ?? false })] : []);
  return { type: "FeatureCollection", features };
}

/** Live machine positions and the last week's alerts, as vector layers over an optional tile layer. */
export function mapView(main: HTMLElement): () => void {
  const canvas = h("div", { class: "map", role: "region", "aria-label": t("map") });
  replace(main, h("h1", {}, t("map")), h("p", { class: "note" }, `${t("boundaries")}: ${t("mapNoBoundaries")}`), canvas);
  let timer = 0;
  let map: MapLibre | null = null;
  void mapConfig().then((config) => {
    map = new MapLibre({ container: canvas, style: style(config), center: TIANMEN, zoom: 10 });
    const refresh = async (): Promise<void> => {
      const [live, alerts] = await Promise.all([positions(config), recentAlerts(7)]);
      (map?.getSource("machines") as GeoJSONSource | undefined)?.setData(live);
      (map?.getSource("alerts") as GeoJSONSource | undefined)?.setData({ type: "FeatureCollection",
        features: alerts.map((a) => point(config, a.longitude, a.latitude, { rule: a.rule })) });
    };
    map.on("load", () => void refresh());
    timer = window.setInterval(() => void refresh().catch(() => undefined), REFRESH_MS);
  });
  return () => {
    window.clearInterval(timer);
    map?.remove();
  };
}
