const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  // Encoded so that a page holds no "http://" a scanner could take for a link to fetch.
  ':': '&#58;',
};

/** Text made safe for an HTML element or a quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"':]/g, (char) => ESCAPES[char] ?? char);
}

/**
 * A hue from 0 to 359 for a hostname (FNV-1a): hello's page and the reports take a replica's
 * colour from it, so a replica looks the same in both.
 */
export function hostnameHue(hostname: string): number {
  let hash = 0x811c9dc5;
  for (const char of hostname) {
    hash ^= char.codePointAt(0) ?? 0;
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % 360;
}
