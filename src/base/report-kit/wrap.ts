/** Words of `text` in lines of at most `width` characters (a longer word keeps a line of its own). */
export function wrapWords(text: string, width: number, separator: string | RegExp = /\s+/): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(separator)) {
    if (line !== "" && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line === "" ? word : `${line} ${word}`;
  }
  if (line !== "") lines.push(line);
  return lines;
}
