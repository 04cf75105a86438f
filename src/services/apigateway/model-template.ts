/**
 * GetModelTemplate: a Velocity mapping template that writes a payload in the shape of a model,
 * reading each member from the input (`$inputRoot.name`) — strings quoted, numbers and booleans
 * as they are, objects member by member, arrays with `#foreach`. Pure: the (flattened) schema in,
 * the template text out.
 */
import { isObject, type JsonObject } from './openapi/json-values.js';

/** How deep references may nest before a recursive model is written as a plain value. */
const MAX_DEPTH = 8;

const IDENTIFIER = /^[a-zA-Z][a-zA-Z0-9_]*$/;

interface Writer {
  definitions: JsonObject;
  depth: number;
}

function resolve(schema: unknown, writer: Writer): JsonObject {
  if (!isObject(schema)) return {};
  const ref = schema.$ref;
  if (typeof ref === 'string' && ref.startsWith('#/definitions/')) {
    const target = writer.definitions[ref.slice('#/definitions/'.length)];
    return isObject(target) ? target : {};
  }
  return schema;
}

function typeOf(schema: JsonObject): string | undefined {
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type;
  if (typeof type === 'string') return type;
  if (isObject(schema.properties)) return 'object';
  if (schema.items !== undefined) return 'array';
  return undefined;
}

/** `$parent.member`, or `$parent.get('odd-name')` where Velocity cannot read the name as is. */
function member(parent: string, name: string): string {
  return IDENTIFIER.test(name) ? `${parent}.${name}` : `${parent}.get('${name.replace(/'/g, "''")}')`;
}

function value(schema: unknown, expression: string, indent: string, writer: Writer): string {
  if (writer.depth > MAX_DEPTH) return `"${expression}"`;
  const resolved = resolve(schema, writer);
  const nested = { ...writer, depth: writer.depth + 1 };
  switch (typeOf(resolved)) {
    case 'object': {
      const properties = Object.entries(isObject(resolved.properties) ? resolved.properties : {});
      if (properties.length === 0) return '{}';
      const inner = `${indent}  `;
      const lines = properties.map(
        ([name, property]) =>
          `${inner}"${name}" : ${value(property, member(expression, name), inner, nested)}`,
      );
      return `{\n${lines.join(',\n')}\n${indent}}`;
    }
    case 'array': {
      const element = writer.depth === 0 ? '$elem' : `$elem${writer.depth}`;
      const item = value(resolved.items, element, indent, nested);
      return (
        `[\n#foreach(${element} in ${expression})\n${indent}${item}` +
        ` #if($foreach.hasNext),#end\n#end\n${indent}]`
      );
    }
    case 'number':
    case 'integer':
    case 'boolean':
      return expression;
    default:
      return `"${expression}"`;
  }
}

/** The template for a schema whose references are local (`#/definitions/x`, as flattening leaves them). */
export function modelTemplate(schemaText: string): string {
  let schema: unknown;
  try {
    schema = JSON.parse(schemaText);
  } catch {
    schema = {};
  }
  const definitions = isObject(schema) && isObject(schema.definitions) ? schema.definitions : {};
  const body = value(schema, '$inputRoot', '', { definitions, depth: 0 });
  return `#set($inputRoot = $input.path('$'))\n${body}`;
}
