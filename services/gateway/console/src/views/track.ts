import { MapLibre, type GeoJSONSource } from "../maplibre";
import type { Schemas } from "../api/client";
import { h, replace, when } from "../dom";
import { forDisplay, mapConfig } from "../geo";
import { t } from "../i18n";

type Point = Schemas["TrackPoint"];

function line(points: [number, number][]): GeoJSON.Feature {
  return { type: "Feature", properties: {}, geometry: { type: "LineString", coordinates: points } };
}

/** A machine's track on the map, replayed point by point with a slider (keyboard: arrow keys). */
export async function trackReplay(host: HTMLElement, track: Point[]): Promise<() => void> {
  if (track.length === 0) { replace(host, h("p", { id: "track-empty" }, t("noTrack"))); return () => undefined; }
  const config = await mapConfig();
  const shown = track.map((p) => forDisplay(config, p.longitude, p.latitude));
  const canvas = h("div", { class: "map small", role: "region", "aria-label": t("trackReplay") });
  const slider = h("input", { id: "replay", type: "range", min: 0, max: track.length - 1, value: track.length - 1 });
  const at = h("output", { id: "replay-at", for: "replay" });
  replace(host, canvas, h("label", { for: "replay" }, t("replay")), slider, at);
  const map = new MapLibre({ container: canvas, center: shown[shown.length - 1], zoom: 13, style: {
    version: 8, sources: { track: { type: "geojson", data: line(shown) }, here: { type: "geojson", data: { type: "FeatureCollection", features: [] } } },
    layers: [{ id: "bg", type: "background", paint: { "background-color": "#eef2ee" } },
      { id: "track", type: "line", source: "track", paint: { "line-color": "#0b3d2e", "line-width": 3 } },
      { id: "here", type: "circle", source: "here", paint: { "circle-radius": 7, "circle-color": "#b3261e" } }] } });
  const move = (): void => {
    const n = Number(slider.value);
    const point = track[n];
    replace(at, `${when(point.reported_at)} · ${point.working ? t("working") : t("idle")} · ${point.latitude.toFixed(5)}, ${point.longitude.toFixed(5)}`);
    (map.getSource("here") as GeoJSONSource | undefined)?.setData({ type: "Feature", properties: {}, geometry: { type: "Point", coordinates: shown[n] } });
  };
  slider.addEventListener("input", move);
  move();
  map.on("load", () => {
    move();
    const lngs = shown.map(([lng]) => lng);
    const lats = shown.map(([, lat]) => lat);
    map.fitBounds([[Math.min(...lngs), Math.min(...lats)], [Math.max(...lngs), Math.max(...lats)]], { padding: 40, maxZoom: 15, duration: 0 });
  });
  return () => map.remove();
}
