// A tip's photos for the staff who verify it: fetched with the bearer token (an <img src> could
// not send it), shown from the blob. The gateway serves them to staff of the tip's jurisdiction.
import { api, must, type Schemas } from "./api/client";
import { h, replace } from "./dom";
import { t } from "./i18n";

type Tip = Schemas["StaffTipView"];

async function shown(tip: Tip, mediaId: string, into: HTMLElement): Promise<void> {
  const path = { tip_id: tip.tip_id, media_id: mediaId };
  const blob = (await must(api.GET("/api/v1/tips/{tip_id}/media/{media_id}", { params: { path }, parseAs: "blob" }))) as Blob;
  const url = URL.createObjectURL(blob);
  const label = `${t("tipPhoto")} ${mediaId}`;
  replace(into, blob.type.startsWith("video/") ? h("video", { src: url, controls: true, width: 160, "aria-label": label })
    : h("a", { href: url, target: "_blank", rel: "noopener" }, h("img", { src: url, alt: label, width: 120 })));
}

/** The photos the citizen sent with the tip, each loaded on its own. */
export function tipPhotos(tip: Tip): HTMLElement {
  if (tip.media_ids.length === 0) return h("span", { class: "note" }, t("noPhotos"));
  return h("div", { class: "tip-photos" }, ...tip.media_ids.map((id) => {
    const slot = h("span", { class: "tip-photo", "data-media-id": id }, t("loading"));
    shown(tip, id, slot).catch((problem: Error) => replace(slot, h("span", { class: "error" }, `${t("failed")}: ${problem.message}`)));
    return slot;
  }));
}
