/**
 * Where the fast readers put the ends of what a file holds, as the full
 * reader has them: a node's end runs over its trailing comment and line
 * break, and a block collection's end over the comment lines below it that
 * belong to it. Both the direct and the event reader end their nodes here.
 * The texts they read never hold a tab in a line's indentation.
 */

const SPACE = 32;
const TAB = 9;
const LF = 10;
const CR = 13;
const HASH = 35;

/** Where the first character after a line's indentation is. */
function lineContent(text: string, line: number): number {
  let at = line;
  while (text.charCodeAt(at) === SPACE) at++;
  return at;
}

/** The start of the line after the one `at` is on. */
function lineEndAfter(text: string, at: number): number {
  const eol = text.indexOf("\n", at);
  return eol === -1 ? text.length : eol + 1;
}

/** Past a node ending at `at`: its trailing spaces, its comment, its line break. */
export function trailing(text: string, at: number): number {
  let c = text.charCodeAt(at);
  while (c === SPACE || c === TAB) c = text.charCodeAt(++at);
  if (c === HASH) {
    const eol = text.indexOf("\n", at);
    at = eol === -1 ? text.length : eol;
    if (text.charCodeAt(at - 1) === CR) at--;
  }
  if (text.charCodeAt(at) === CR && text.charCodeAt(at + 1) === LF) return at + 2;
  if (text.charCodeAt(at) === LF) return at + 1;
  return at;
}

/**
 * Where a block collection indented by `indent` ends, its last entry's
 * value ending at `at`: comment lines right below a value written on one
 * line (a scalar, alias or flow collection) belong to it while they are
 * indented further than the collection, as the full reader has them.
 */
export function endAfterValue(text: string, at: number, indent: number, attaches: boolean): number {
  if (!attaches) return at;
  let end = at;
  let line = at;
  while (line < text.length) {
    const first = lineContent(text, line);
    const c = text.charCodeAt(first);
    if (c === HASH) {
      if (first - line <= indent) break;
      end = line = lineEndAfter(text, first);
    } else if (c === LF || c === CR) line = lineEndAfter(text, first);
    else break;
  }
  return end;
}

/**
 * Where a block collection ending at `at` and indented by `indent` ends
 * for its parent: the comment lines below it stay with it when one of them
 * is indented at least as far as its entries (and it is indented at all),
 * and then so do the blank lines and indentation up to what comes next;
 * else they go to its parent.
 */
export function commentsKept(text: string, at: number, indent: number): number {
  if (indent === 0) return at;
  let kept = false;
  let line = at;
  while (line < text.length) {
    const first = lineContent(text, line);
    const c = text.charCodeAt(first);
    if (c === HASH) {
      if (first - line >= indent) kept = true;
      line = lineEndAfter(text, first);
    } else if (c === LF || c === CR) line = lineEndAfter(text, first);
    else return kept ? first : at;
  }
  return kept ? text.length : at;
}
