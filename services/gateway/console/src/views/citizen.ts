import { api, must, uploadPhoto, type Schemas } from "../api/client";
import { h, replace } from "../dom";
import { t, term } from "../i18n";
import { followed, rewards } from "./citizenTips";

type Receipt = Schemas["TipReceipt"];
const MINE = "tianmen.tips";
const CATEGORIES: Schemas["TipCategory"][] = [
  "night_work", "illegal_operation", "unlicensed_operation", "safety_hazard", "unsafe_hoisting", "dust_and_noise", "other",
];

function mine(): Receipt[] {
  return JSON.parse(localStorage.getItem(MINE) ?? "[]") as Receipt[];
}

function remember(receipt: Receipt): void {
  localStorage.setItem(MINE, JSON.stringify([receipt, ...mine().filter((r) => r.tip_id !== receipt.tip_id)]));
}

function field(id: string, label: string, control: HTMLElement): HTMLElement[] {
  control.id = id;
  return [h("label", { for: id }, label), control];
}

export function citizenView(main: HTMLElement): void {
  const list = h("ul", { id: "my-tips" });
  const earned = h("div", { "aria-live": "polite" });
  const error = h("p", { role: "alert", class: "error" });
  const notice = h("p", { role: "status", class: "notice" });
  const category = h("select", {}, ...CATEGORIES.map((c) => h("option", { value: c }, term(c))));
  const description = h("textarea", { required: true, rows: 3, maxlength: 500 });
  const photo = h("input", { type: "file", accept: "image/jpeg,image/png,image/webp", capture: "environment" });
  const latitude = h("input", { type: "number", step: "any", required: true, min: -90, max: 90 });
  const longitude = h("input", { type: "number", step: "any", required: true, min: -180, max: 180 });
  const locate = (): void => navigator.geolocation?.getCurrentPosition((where) => {
    latitude.value = String(where.coords.latitude);
    longitude.value = String(where.coords.longitude);
  });
  const show = async (): Promise<void> => {
    const [tips, paid] = await Promise.all([Promise.all(mine().map(followed)), rewards()]);
    replace(list, ...tips);
    replace(earned, ...paid);
  };
  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    try {
      const file = photo.files?.[0];
      const media_ids = file ? [await uploadPhoto(file)] : [];
      const body = { category: category.value as Schemas["TipCategory"], description: description.value,
        latitude: Number(latitude.value), longitude: Number(longitude.value), anonymous: true, media_ids };
      remember(await must(api.POST("/api/v1/tips", { body })));
      replace(error);
      replace(notice, t("submitted"));
      await show();
    } catch (problem) {
      replace(notice);
      replace(error, (problem as Error).message);
    }
  };
  replace(main, h("h1", {}, t("report")),
    h("form", { class: "card narrow", onsubmit: (e) => void submit(e) },
      ...field("tip-category", t("category"), category), ...field("tip-description", t("description"), description),
      ...field("tip-photo", t("photo"), photo), ...field("tip-latitude", t("latitude"), latitude),
      ...field("tip-longitude", t("longitude"), longitude),
      h("button", { type: "button", onclick: locate }, t("useMyLocation")), h("button", { type: "submit" }, t("submit")), notice, error),
    h("section", { class: "card narrow" }, h("h2", {}, t("myTips")),
      h("button", { type: "button", onclick: () => void show().catch((p: Error) => replace(error, p.message)) }, t("refresh")), list),
    h("section", { class: "card narrow" }, h("h2", {}, t("myRewards")), h("p", { class: "note" }, t("rewardsMean")), earned));
  show().catch((problem: Error) => replace(error, problem.message));
}
