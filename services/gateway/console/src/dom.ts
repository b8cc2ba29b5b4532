// A tiny DOM builder: the console has no framework, only elements and text.
type Attr = string | number | boolean | null | undefined | ((event: Event) => void);
export type Child = Node | string | number | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Record<string, Attr> = {},
  ...children: (Child | Child[])[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (typeof value === "function") element.addEventListener(name.replace(/^on/, ""), value);
    else if (value === true) element.setAttribute(name, "");
    else if (value !== false && value !== null && value !== undefined) element.setAttribute(name, String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

export function replace(target: Element, ...children: (Child | Child[])[]): void {
  target.replaceChildren();
  for (const child of children.flat()) {
    if (child !== null && child !== undefined && child !== false) {
      target.append(child instanceof Node ? child : String(child));
    }
  }
}

/** An instant from the API; one without an offset is UTC (SQLite hands datetimes back naive). */
export function instant(iso: string): number {
  const naive = iso.includes("T") && !/([zZ]|[+-]\d\d:?\d\d)$/.test(iso);
  return Date.parse(naive ? `${iso}Z` : iso);
}

export function when(iso: string | null | undefined): string {
  return iso ? new Date(instant(iso)).toLocaleString(document.documentElement.lang, { hour12: false }) : "—";
}

/** Wraps a view's loader so that only its latest call renders: a query answered after a later
 * one began (the view's first load, slower than the period the user then asked for) is dropped,
 * never shown over the newer answer, nor its failure. `render` receives what `load` gave. */
export function latestOnly<A extends unknown[], T>(
  load: (...args: A) => Promise<T>,
  render: (value: T) => void,
): (...args: A) => Promise<void> {
  let calls = 0;
  return async (...args: A): Promise<void> => {
    const call = ++calls;
    let value: T;
    try {
      value = await load(...args);
    } catch (problem) {
      if (call === calls) throw problem;
      return;
    }
    if (call === calls) render(value);
  };
}
