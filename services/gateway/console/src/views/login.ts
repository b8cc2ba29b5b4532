import { api, must } from "../api/client";
import { h, replace } from "../dom";
import { t } from "../i18n";
import { claims, home, signIn } from "../session";

export function loginView(main: HTMLElement): void {
  const error = h("p", { role: "alert", class: "error" });
  const username = h("input", { id: "username", name: "username", autocomplete: "username", required: true });
  const password = h("input", {
    id: "password", name: "password", type: "password", autocomplete: "current-password", required: true,
  });
  const submit = async (event: Event): Promise<void> => {
    event.preventDefault();
    try {
      const body = { username: username.value.trim(), password: password.value };
      const answer = await must(api.POST("/api/v1/auth/token", { body }));
      signIn(answer.access_token);
      location.hash = home(claims()?.tianmen_role);
    } catch (problem) {
      replace(error, `${t("signInFailed")}: ${(problem as Error).message}`);
    }
  };
  replace(
    main,
    h("h1", {}, t("signIn")),
    h("form", { class: "card narrow", onsubmit: (e) => void submit(e) },
      h("label", { for: "username" }, t("username")), username,
      h("label", { for: "password" }, t("password")), password,
      h("button", { type: "submit" }, t("signIn")),
      error,
    ),
  );
  username.focus();
}
