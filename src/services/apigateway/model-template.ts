/**
 * The mapping template a model's JSON schema suggests (GetModelTemplate): a Velocity template that
 * rebuilds a body of the model's shape from `$input.path('$')`, property by property — strings
 * quoted, numbers, booleans and anything untyped as they are, objects nested, arrays through
 * `#foreach`. A starting point to edit, as the console's; `$ref`s to other models are left as
 * values. Pure.
 */

type Schema = {
  type?: unknown;
  properties?: Record<string, Schema>;
  items?: Schema | Schema[];
};

const INDENT = '  ';

function typeOf(schema: Schema | undefined): string | undefined {
  const type = schema?.type;
  if (typeof type === 'string') return type;
  if (Array.isArray(type)) return type.find((t): t is string => typeof t === 'string' && t !== 'null');
  if (schema?.properties) return 'object';
  if (schema?.items) return 'array';
  return undefined;
}

function itemsOf(schema: Schema): Schema | undefined {
  return Array.isArray(schema.items) ? schema.items[0] : schema.items;
}

/** The template's text for a value of `schema` found at the Velocity reference `path`. */
function valueLines(schema: Schema | undefined, path: string, indent: string, depth: number): string[] {
  switch (typeOf(schema)) {
    case 'string':
      return [`"${path}"`];
    case 'object': {
      const entries = Object.entries(schema?.properties ?? {});
      if (entries.length === 0) return [path];
      const lines = ['{'];
      entries.forEach(([name, property], i) => {
        const value = valueLines(property, `${path}.${name}`, indent + INDENT, depth);
        const comma = i < entries.length - 1 ? ',' : '';
        lines.push(`${indent}${INDENT}"${name}" : ${value[0]}`, ...value.slice(1));
        lines[lines.length - 1] += comma;
      });
      lines.push(`${indent}}`);
      return lines;
    }
    case 'array': {
      const element = depth === 0 ? '$elem' : `$elem${depth + 1}`;
      const value = valueLines(itemsOf(schema!), element, indent + INDENT, depth + 1);
      const lines = [
        '[',
        `#foreach(${element} in ${path})`,
        `${indent}${INDENT}${value[0]}`,
        ...value.slice(1),
      ];
      lines[lines.length - 1] += '#if($foreach.hasNext),#end';
      return [...lines, '#end', `${indent}]`];
    }
    default:
      return [path];
  }
}

export function modelTemplate(schema: unknown): string {
  const root = schema !== null && typeof schema === 'object' ? (schema as Schema) : undefined;
  return ["#set($inputRoot = $input.path('$'))", ...valueLines(root, '$inputRoot', '', 0)].join('\n');
}
