/**
 * The public URL of a book's cover: its object key in the books bucket (`covers/<sha-256>.jpg`, stored at ingest)
 * under the place that serves covers without a signature (the books distribution, or the local files route). Null
 * when the book has no cover or nothing serves covers: the web app then draws one.
 */
export function coverUrlOf(key: string | null, baseUrl: string | undefined): string | null {
  return key && baseUrl ? `${baseUrl.replace(/\/+$/, '')}/${key}` : null;
}
