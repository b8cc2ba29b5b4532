// A file the console makes in the browser (an audit bundle, a statistics workbook), saved by the user.
export function download(name: string, body: BlobPart, type: string): void {
  const url = URL.createObjectURL(new Blob([body], { type }));
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/** The local calendar day as YYYY-MM-DD (the console runs where its staff are: Asia/Shanghai). */
export function isoDay(date = new Date()): string {
  const pad = (n: number): string => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** The end of a day in China time, as an instant with its offset. */
export function endOfDay(day: string): string {
  return `${day}T23:59:59+08:00`;
}

export function startOfDay(day: string): string {
  return `${day}T00:00:00+08:00`;
}
