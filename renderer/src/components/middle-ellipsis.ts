/**
 * Cut `text` to at most `max` characters by replacing its middle with "…": a command line keeps its
 * start (the interpreter) and its end (the script or its arguments), the two parts that tell seven
 * `node` rows apart. Characters are counted as code points so a surrogate pair is never split.
 */
export function middleEllipsis(text: string, max: number): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  if (max <= 1) return max === 1 ? '…' : '';
  const keep = max - 1;
  // The end usually says more (script, file, port flag): give it the larger half.
  const head = Math.floor(keep * 0.4);
  const tail = keep - head;
  return `${chars.slice(0, head).join('')}…${chars.slice(chars.length - tail).join('')}`;
}
