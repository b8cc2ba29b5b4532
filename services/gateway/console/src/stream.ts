// The gateway's alert stream (Server-Sent Events) read with fetch: an EventSource cannot send
// the bearer header. Resumes after a drop with Last-Event-ID, so each alert arrives once.
import type { Alert } from "./data";
import { token } from "./session";

const RETRY_MS = 3000;

export type StreamState = "open" | "retrying";

interface Message {
  event: string;
  id: string;
  data: string;
}

/** One SSE block ("event: …\nid: …\ndata: …") as a message; comments and blank fields ignored. */
export function parse(block: string): Message {
  const message: Message = { event: "message", id: "", data: "" };
  for (const line of block.split(/\r?\n/)) {
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const [field, value] = [line.slice(0, colon), line.slice(colon + 1).replace(/^ /, "")];
    if (field === "event") message.event = value;
    else if (field === "id") message.id = value;
    else if (field === "data") message.data += message.data ? `\n${value}` : value;
  }
  return message;
}

async function readOnce(last: string, onAlert: (alert: Alert) => void, onState: (s: StreamState) => void, signal: AbortSignal): Promise<string> {
  const headers: Record<string, string> = { Accept: "text/event-stream", Authorization: `Bearer ${token() ?? ""}` };
  if (last) headers["Last-Event-ID"] = last;
  const response = await fetch("/api/v1/alerts/stream", { headers, signal });
  if (!response.ok || !response.body) throw new Error(`${response.status}`);
  onState("open");
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return last;
    buffer += value;
    const blocks = buffer.split(/\r?\n\r?\n/);
    buffer = blocks.pop() ?? "";
    for (const message of blocks.map(parse)) {
      if (message.event !== "alert" || !message.data) continue;
      last = message.id || last;
      onAlert(JSON.parse(message.data) as Alert);
    }
  }
}

/** Alerts as they are raised, until the returned function is called. */
export function streamAlerts(onAlert: (alert: Alert) => void, onState: (s: StreamState) => void): () => void {
  const stop = new AbortController();
  let last = "";
  const run = async (): Promise<void> => {
    while (!stop.signal.aborted) {
      try {
        last = await readOnce(last, onAlert, onState, stop.signal);
      } catch {
        if (stop.signal.aborted) return;
      }
      onState("retrying");
      await new Promise((resume) => window.setTimeout(resume, RETRY_MS));
    }
  };
  void run();
  return () => stop.abort();
}
