// MapLibre with its worker set: it looks for the worker beside its own module, but bundled, the
// worker is a chunk of its own. Every screen that draws a map imports MapLibre from here.
import { setWorkerUrl } from "maplibre-gl";
import "maplibre-gl/dist/maplibre-gl.css";
import workerUrl from "maplibre-gl/dist/maplibre-gl-worker.mjs?worker&url";

setWorkerUrl(workerUrl);
export { Map as MapLibre, type GeoJSONSource, type SourceSpecification, type StyleSpecification } from "maplibre-gl";
