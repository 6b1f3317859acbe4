/** A download link the server gave (pdfUrl, callRecordsCsvUrl, an export's url) as an href, only
 *  when it is what the server makes: an http(s) URL of its signed `/downloads/`. Nothing else (a
 *  `javascript:` URL, say) becomes a link, whatever a field ever holds. */
export function downloadHref(url: string | null | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const parsed = new URL(url, location.origin);
    const web = parsed.protocol === "https:" || parsed.protocol === "http:";
    return web && parsed.pathname.startsWith("/downloads/") ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}
