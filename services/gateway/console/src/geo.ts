// Positions are stored in WGS-84; a Chinese tile provider draws in GCJ-02, so points are
// shifted only when such a provider is configured (gcoord does the conversion).
import gcoord from "gcoord";

export interface MapConfig {
  tiles: string | null;
  gcj02: boolean;
  attribution: string;
}

export const NO_TILES: MapConfig = { tiles: null, gcj02: false, attribution: "" };

/** The console's map configuration, from /console/config.json when the site provides one. */
export async function mapConfig(): Promise<MapConfig> {
  try {
    const response = await fetch(`${import.meta.env.BASE_URL}config.json`);
    if (!response.ok) return NO_TILES;
    const body = (await response.json()) as Partial<MapConfig>;
    return { ...NO_TILES, ...body };
  } catch {
    return NO_TILES;
  }
}

export function forDisplay(config: MapConfig, longitude: number, latitude: number): [number, number] {
  if (!config.gcj02) return [longitude, latitude];
  const [lng, lat] = gcoord.transform([longitude, latitude], gcoord.WGS84, gcoord.GCJ02);
  return [lng, lat];
}
