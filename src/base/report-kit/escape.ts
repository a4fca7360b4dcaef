/** Escaping for the reports' HTML and XML: one place, so every report escapes alike. */

const entities = (text: string) =>
  text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;").replaceAll('"', "&quot;");

/** Text or an attribute value in HTML. */
export const escapeHtml = (text: string) => entities(text);

/**
 * Drops what XML 1.0 cannot hold even escaped: control characters other than tab, LF and CR,
 * U+FFFE, U+FFFF and unpaired surrogates.
 */
export function dropXmlControls(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters to remove
  return text.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|\p{Cs}/gu, "");
}

/** Text or an attribute value in XML: a server's answer may carry bytes XML cannot hold. */
export const escapeXml = (text: string) => entities(dropXmlControls(text));
