/**
 * Renders a parsed template: walks the nodes, keeps the variables, enforces the runaway limits.
 * `#break` leaves the innermost `#foreach` or macro (the whole template outside them); `#stop` ends
 * the render, keeping what was written.
 */
import type { Node, Reference, Template } from './ast.js';
import { templateError, type TemplateError } from './errors.js';
import { assign, evaluate, evaluateReference, type Environment } from './evaluator.js';
import { DefinedBlock, ForeachScope } from './host-objects.js';
import { InputObject } from './input.js';
import { toText } from './text.js';
import {
  defaultLimits,
  type RenderLimits,
  type RenderOptions,
  type TemplateResult,
  type TemplateVariables,
} from './types.js';
import { UtilObject } from './util.js';
import { fromValue, isList, isMap, isTruthy, toValue, type Value } from './values.js';

type Flow = 'next' | 'break' | 'stop';

interface Output {
  parts: string[];
  length: number;
  /** What is being written, for the error when it grows too long. */
  what: 'Output' | 'A string';
}

export class Renderer implements Environment {
  readonly vars: Map<string, Value>;
  private readonly limits: RenderLimits;
  private output: Output = { parts: [], length: 0, what: 'Output' };
  private iterations = 0;
  private depth = 0;

  constructor(
    private readonly template: Template,
    variables: TemplateVariables,
    private readonly options: RenderOptions,
  ) {
    this.limits = { ...defaultLimits, ...options.limits };
    this.vars = new Map<string, Value>([
      ['input', new InputObject(variables.input)],
      ['util', new UtilObject()],
      ['context', toValue(variables.context)],
      ['stageVariables', toValue(variables.stageVariables)],
    ]);
  }

  run(): TemplateResult {
    try {
      this.renderNodes(this.template.nodes, 0);
    } catch (error) {
      // A stack or string too large for the JavaScript engine is a runaway template too.
      if (error instanceof RangeError)
        throw this.error(0, `Template could not be rendered: ${error.message}`);
      throw error;
    }
    const context = this.vars.get('context') ?? null;
    // fromValue turns a map into a plain object.
    return {
      output: this.output.parts.join(''),
      context: isMap(context) ? (fromValue(context) as Record<string, unknown>) : {},
    };
  }

  renderToString(nodes: readonly Node[], offset = 0): string {
    const enclosing = this.output;
    this.output = { parts: [], length: 0, what: 'A string' };
    try {
      this.renderNodes(nodes, offset);
      return this.output.parts.join('');
    } finally {
      this.output = enclosing;
    }
  }

  nullText(reference: Reference): string {
    return this.options.nullReferences === 'source' && !reference.quiet ? reference.source : '';
  }

  checkSize(value: Value, offset: number): void {
    if (typeof value === 'string' && value.length > this.limits.outputLength) {
      throw this.error(offset, `A string exceeds ${this.limits.outputLength} characters`);
    }
    if (
      (isList(value) && value.length > this.limits.collectionSize) ||
      (isMap(value) && value.size > this.limits.collectionSize)
    ) {
      throw this.error(offset, `A collection exceeds ${this.limits.collectionSize} elements`);
    }
  }

  checkRange(size: number, offset: number): void {
    if (size > this.limits.collectionSize)
      throw this.error(offset, `A range exceeds ${this.limits.collectionSize} elements`);
  }

  /** Renders `nodes`; `offset` is where their block starts, for errors that have no better place. */
  private renderNodes(nodes: readonly Node[], offset: number): Flow {
    for (const node of nodes) {
      const flow = this.renderNode(node, offset);
      if (flow !== 'next') return flow;
    }
    return 'next';
  }

  private renderNode(node: Node, offset: number): Flow {
    switch (node.kind) {
      case 'text':
        this.write(node.text, offset);
        return 'next';
      case 'output': {
        const value = evaluateReference(node.reference, this);
        this.write(value === null ? this.nullText(node.reference) : toText(value), node.reference.offset);
        return 'next';
      }
      case 'set':
        assign(node.target, evaluate(node.value, this), this);
        return 'next';
      case 'if': {
        const branch = node.branches.find(({ condition }) => isTruthy(evaluate(condition, this)));
        return this.renderNodes(branch?.body ?? node.otherwise, offset);
      }
      case 'foreach':
        return this.renderForeach(node);
      case 'break':
      case 'stop':
        return node.kind;
      case 'define':
        this.vars.set(
          node.name,
          new DefinedBlock(() =>
            this.nested(offset, `$${node.name}`, () => this.renderToString(node.body, offset)),
          ),
        );
        return 'next';
      case 'macroCall':
        return this.renderMacro(node);
    }
  }

  private write(text: string, offset: number): void {
    this.output.parts.push(text);
    this.output.length += text.length;
    if (this.output.length > this.limits.outputLength) {
      throw this.error(offset, `${this.output.what} exceeds ${this.limits.outputLength} characters`);
    }
  }

  /**
   * `#foreach`: a list's elements, or a map's values, in order (over a copy, so the body may change
   * the list). `$foreach`, `$velocityCount` and `$velocityHasNext` describe the turn; the loop
   * variable and those three get their previous values back afterwards.
   */
  private renderForeach(node: Node & { kind: 'foreach' }): Flow {
    const iterable = evaluate(node.iterable, this);
    const items = isList(iterable) ? [...iterable] : isMap(iterable) ? [...iterable.values()] : [];
    const saved = this.save([node.variable, 'foreach', 'velocityCount', 'velocityHasNext']);
    const outer = this.vars.get('foreach');
    const parent = outer instanceof ForeachScope ? outer : null;
    try {
      for (const [index, item] of items.entries()) {
        if (++this.iterations > this.limits.loopIterations) {
          throw this.error(node.offset, `Loops ran more than ${this.limits.loopIterations} times`);
        }
        this.vars.set(node.variable, item);
        this.vars.set('foreach', new ForeachScope(index, items.length, parent));
        this.vars.set('velocityCount', index + 1);
        this.vars.set('velocityHasNext', index + 1 < items.length);
        const flow = this.renderNodes(node.body, node.offset);
        if (flow === 'stop') return 'stop';
        if (flow === 'break') break;
      }
      return 'next';
    } finally {
      this.restore(saved);
    }
  }

  /** A macro call: its parameters hold the arguments' values (missing ones are null) during the body. */
  private renderMacro(node: Node & { kind: 'macroCall' }): Flow {
    const macro = this.template.macros.get(node.name);
    if (macro === undefined) return 'next';
    const args = node.args.map((arg) => evaluate(arg, this));
    const saved = this.save(macro.parameters);
    macro.parameters.forEach((parameter, i) => this.setOrDelete(parameter, args[i] ?? null));
    try {
      const flow = this.nested(node.offset, `#${node.name}`, () => this.renderNodes(macro.body, node.offset));
      return flow === 'stop' ? 'stop' : 'next';
    } finally {
      this.restore(saved);
    }
  }

  /** Runs `render` for a macro body or `#define` block, counting how deep such calls nest. */
  private nested<T>(offset: number, what: string, render: () => T): T {
    if (this.depth >= this.limits.macroDepth) {
      throw this.error(offset, `${what} nests more than ${this.limits.macroDepth} calls deep`);
    }
    this.depth++;
    try {
      return render();
    } finally {
      this.depth--;
    }
  }

  private save(names: readonly string[]): Map<string, Value | undefined> {
    return new Map(names.map((name) => [name, this.vars.get(name)]));
  }

  private restore(saved: Map<string, Value | undefined>): void {
    for (const [name, value] of saved) this.setOrDelete(name, value ?? null);
  }

  private setOrDelete(name: string, value: Value): void {
    if (value === null) this.vars.delete(name);
    else this.vars.set(name, value);
  }

  private error(offset: number, reason: string): TemplateError {
    return templateError(this.template.source, offset, reason);
  }
}
