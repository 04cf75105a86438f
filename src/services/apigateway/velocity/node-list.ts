/**
 * Helpers shared by the template and directive parsers: gathering nodes, and the line breaks
 * directives take with them.
 */
import type { Node } from './ast.js';
import { readWhile, type Scanner } from './scanner.js';

/** Text is gathered here so that adjacent pieces make one text node and `#set` can take the spaces before it. */
export class NodeList {
  private readonly nodes: Node[] = [];
  private text = '';

  addText(text: string): void {
    this.text += text;
  }

  add(node: Node): void {
    this.flush();
    this.nodes.push(node);
  }

  /** Drops the spaces and tabs that end the pending text. */
  trimTrailingSpace(): void {
    let end = this.text.length;
    while (end > 0 && (this.text[end - 1] === ' ' || this.text[end - 1] === '\t')) end--;
    this.text = this.text.slice(0, end);
  }

  finish(): Node[] {
    this.flush();
    return this.nodes;
  }

  private flush(): void {
    if (this.text !== '') this.nodes.push({ kind: 'text', text: this.text });
    this.text = '';
  }
}

/** Spaces or tabs and then a line break, when that is what follows; nothing otherwise. */
export function skipRestOfLine(scanner: Scanner): void {
  const start = scanner.pos;
  readWhile(scanner, (ch) => ch === ' ' || ch === '\t');
  if (!skipLineBreak(scanner)) scanner.pos = start;
}

export function skipLineBreak(scanner: Scanner): boolean {
  if (scanner.startsWith('\r\n')) scanner.pos += 2;
  else if (scanner.peek() === '\n' || scanner.peek() === '\r') scanner.pos++;
  else return false;
  return true;
}
