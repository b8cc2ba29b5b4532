// The gateway's API, typed from docs/openapi/gateway.json (openapi-typescript → schema.d.ts).
import createClient, { type Middleware } from "openapi-fetch";
import type { components, paths } from "./schema";
import { signOut, token } from "../session";

export type Schemas = components["schemas"];

/** A refusal or failure as the gateway answered it (application/problem+json). */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
  ) {
    super(`${status} ${title}: ${detail}`);
  }
}

const bearer: Middleware = {
  onRequest({ request }) {
    const value = token();
    if (value) request.headers.set("Authorization", `Bearer ${value}`);
    if (request.method === "POST" && !request.headers.has("Idempotency-Key")) {
      request.headers.set("Idempotency-Key", crypto.randomUUID());
    }
    return request;
  },
  onResponse({ response }) {
    if (response.status === 401 && token()) {
      signOut();
      location.hash = "#/login";
    }
    return response;
  },
};

export const api = createClient<paths>({ baseUrl: location.origin });
api.use(bearer);

interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The answer's body, or an ApiProblem carrying the gateway's status, title and detail. */
export async function must<T>(call: Promise<Answer<T>>): Promise<T> {
  const { data, error, response } = await call;
  if (response.ok && data !== undefined) return data;
  const problem = (error ?? {}) as { title?: string; detail?: string };
  throw new ApiProblem(response.status, problem.title ?? response.statusText, problem.detail ?? "");
}

/** Every item of a paged list, following next_cursor, at most `pages` pages. */
export async function everyPage<T>(
  fetchPage: (cursor: string | undefined) => Promise<{ items: T[]; next_cursor?: string | null }>,
  pages = 20,
  more: (page: T[]) => boolean = () => true,
): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  for (let n = 0; n < pages; n++) {
    const page = await fetchPage(cursor);
    items.push(...page.items);
    if (!page.next_cursor || !more(page.items)) break;
    cursor = page.next_cursor;
  }
  return items;
}

/** A photo uploaded for a tip (multipart, so outside the JSON client): its media id. */
export async function uploadPhoto(file: File): Promise<string> {
  const form = new FormData();
  form.append("file", file);
  form.append("kind", "photo");
  const response = await fetch("/api/v1/media", {
    method: "POST",
    body: form,
    headers: { Authorization: `Bearer ${token() ?? ""}`, "Idempotency-Key": crypto.randomUUID() },
  });
  const body = await response.json();
  if (!response.ok) throw new ApiProblem(response.status, body.title ?? "", body.detail ?? "");
  return String(body.media_id);
}
