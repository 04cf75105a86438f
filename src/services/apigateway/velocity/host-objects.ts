/**
 * The engine's own objects a template can reach: `$foreach`, the entries of `$map.entrySet()`, and
 * the blocks `#define` names.
 */
import { toText } from './text.js';
import { HostObject, type Value } from './values.js';

/** `$foreach` inside a `#foreach`: where the loop is (Velocity 1.7's ForeachScope). */
export class ForeachScope extends HostObject {
  constructor(
    private readonly index: number,
    private readonly size: number,
    private readonly parent: ForeachScope | null,
  ) {
    super();
  }

  property(name: string): Value {
    switch (name) {
      case 'index':
        return this.index;
      case 'count':
        return this.index + 1;
      case 'hasNext':
        return this.index + 1 < this.size;
      case 'first':
        return this.index === 0;
      case 'last':
        return this.index + 1 === this.size;
      case 'parent':
        return this.parent;
      case 'topmost':
        return this.parent === null ? this : this.parent.property('topmost');
      default:
        return null;
    }
  }

  call(method: string, args: readonly Value[]): Value {
    if (args.length > 0) return null;
    const getter = /^(?:get|is)([A-Z]\w*)$/.exec(method);
    const name = getter?.[1] === undefined ? method : getter[1].charAt(0).toLowerCase() + getter[1].slice(1);
    return this.property(name);
  }

  toText(): string {
    return `$foreach(index=${this.index}, count=${this.index + 1}, hasNext=${this.index + 1 < this.size})`;
  }
}

/** One entry of `$map.entrySet()`: `$entry.key`, `$entry.value`; prints `key=value`. */
export class MapEntry extends HostObject {
  constructor(
    private readonly map: Map<string, Value>,
    private readonly key: string,
  ) {
    super();
  }

  property(name: string): Value {
    if (name === 'key') return this.key;
    if (name === 'value') return this.map.get(this.key) ?? null;
    return null;
  }

  call(method: string, args: readonly Value[]): Value {
    if (method === 'getKey') return this.key;
    if (method === 'getValue') return this.map.get(this.key) ?? null;
    if (method === 'setValue' && args.length === 1) {
      const previous = this.map.get(this.key) ?? null;
      this.map.set(this.key, args[0] ?? null);
      return previous;
    }
    if (method === 'toString') return this.toText();
    return null;
  }

  toText(): string {
    return `${this.key}=${toText(this.map.get(this.key) ?? null)}`;
  }
}

/** A `#define($name)…#end` block: `$name` renders it, each time with the variables of that moment. */
export class DefinedBlock extends HostObject {
  constructor(private readonly render: () => string) {
    super();
  }

  property(): Value {
    return null;
  }

  call(method: string): Value {
    return method === 'toString' ? this.render() : null;
  }

  toText(): string {
    return this.render();
  }
}
