// Schema-aware completion for YAML in CodeMirror: from the cursor, find the chain of parent keys by indentation, walk
// the JSON Schema (properties, additionalProperties, items, $ref, oneOf/anyOf/allOf and if/then on a sibling
// "type:"), and offer the keys allowed at that level (with their descriptions) or the enum values of the key typed.
import type { CompletionContext, CompletionResult } from '@codemirror/autocomplete';

type Schema = Record<string, unknown>;
interface Level { key: string; indent: number; siblings: Map<string, string> }

const keyLine = /^(\s*)(- )?([A-Za-z0-9_.-]+|"[^"]*"|'[^']*'):(\s|$)/;

function indentOf(line: string): number { return line.length - line.trimStart().length; }

/** The parent keys above line <paramref name="lineNo"/> (0-based) whose indent is below <paramref name="indent"/>. */
function parents(lines: string[], lineNo: number, indent: number): { path: string[]; siblings: Map<string, string> } {
  const path: string[] = [];
  let current = indent;
  const siblings = new Map<string, string>();
  // Siblings at the cursor's own level (e.g. "type: menu" beside the key being typed).
  for (let i = lineNo - 1; i >= 0; i--) {
    const l = lines[i]!;
    if (!l.trim() || l.trimStart().startsWith('#')) continue;
    const ind = indentOf(l);
    if (ind < indent) break;
    const m = keyLine.exec(l);
    if (m && ind === indent) siblings.set(m[3]!, l.slice(l.indexOf(':') + 1).trim());
  }
  for (let i = lineNo - 1; i >= 0 && current > 0; i--) {
    const l = lines[i]!;
    if (!l.trim() || l.trimStart().startsWith('#')) continue;
    const ind = indentOf(l);
    if (ind >= current) continue;
    const m = keyLine.exec(l);
    if (l.trimStart().startsWith('- ') && !m) { path.unshift('[]'); current = ind; continue; }
    if (m) { if (m[2]) path.unshift('[]'); path.unshift(m[3]!.replace(/^["']|["']$/g, '')); current = ind + (m[2] ? 0 : 0); current = ind; }
  }
  return { path, siblings };
}

function resolve(root: Schema, s: unknown): Schema[] {
  if (!s || typeof s !== 'object') return [];
  const schema = s as Schema;
  const ref = schema['$ref'];
  if (typeof ref === 'string' && ref.startsWith('#/')) {
    let target: unknown = root;
    for (const part of ref.slice(2).split('/')) target = (target as Schema | undefined)?.[part];
    return [...resolve(root, target), ...resolve(root, { ...schema, $ref: undefined })].filter(x => Object.keys(x).length > 0);
  }
  const out: Schema[] = [schema];
  for (const k of ['oneOf', 'anyOf', 'allOf']) {
    const list = schema[k];
    if (Array.isArray(list)) for (const v of list) out.push(...resolve(root, v));
  }
  return out;
}

function variants(root: Schema, s: Schema[], siblings: Map<string, string>): Schema[] {
  const out: Schema[] = [];
  for (const v of s) {
    out.push(v);
    const cond = v['if'] as Schema | undefined, then = v['then'];
    if (cond && then) {
      const props = (cond['properties'] ?? {}) as Record<string, Schema>;
      const matches = Object.entries(props).every(([k, p]) => !siblings.has(k) || p['const'] === undefined || String(p['const']) === siblings.get(k));
      if (matches) out.push(...resolve(root, then));
    }
  }
  return out;
}

function step(root: Schema, nodes: Schema[], key: string): Schema[] {
  const out: Schema[] = [];
  for (const n of nodes) {
    if (key === '[]') { if (n['items']) out.push(...resolve(root, n['items'])); continue; }
    const props = n['properties'] as Record<string, unknown> | undefined;
    if (props && props[key]) out.push(...resolve(root, props[key]));
    else if (n['additionalProperties'] && typeof n['additionalProperties'] === 'object') out.push(...resolve(root, n['additionalProperties']));
  }
  return out;
}

export function schemaCompletion(schema: Schema) {
  return (context: CompletionContext): CompletionResult | null => {
    const line = context.state.doc.lineAt(context.pos);
    const before = line.text.slice(0, context.pos - line.from);
    const lines = context.state.doc.toString().split('\n');
    const valueMatch = /^(\s*)(- )?([A-Za-z0-9_.-]+):\s*([^\s]*)$/.exec(before);
    const keyMatch = /^(\s*)(- )?([A-Za-z0-9_.-]*)$/.exec(before);
    if (!valueMatch && !keyMatch) return null;
    const m = (valueMatch ?? keyMatch)!;
    const indent = m[1]!.length + (m[2] ? 2 : 0);
    const { path, siblings } = parents(lines, line.number - 1, indent);
    if (m[2]) path.push('[]');
    let nodes = resolve(schema, schema);
    for (const key of path) nodes = variants(schema, step(schema, variants(schema, nodes, new Map()), key), new Map());
    nodes = variants(schema, nodes, siblings);
    if (valueMatch) {
      const key = valueMatch[3]!;
      const values = new Set<string>();
      for (const n of step(schema, nodes, key)) {
        const e = n['enum'];
        if (Array.isArray(e)) e.forEach(x => values.add(String(x)));
        if (n['const'] !== undefined) values.add(String(n['const']));
      }
      if (values.size === 0) return null;
      return { from: context.pos - valueMatch[4]!.length, options: [...values].map(v => ({ label: v, type: 'enum' })) };
    }
    if (!context.explicit && m[3]!.length === 0 && !m[2]) return null;
    const options = new Map<string, string>();
    for (const n of nodes) {
      const props = n['properties'] as Record<string, Schema> | undefined;
      if (props) for (const [k, p] of Object.entries(props)) if (!siblings.has(k)) options.set(k, String(resolve(schema, p).map(x => x['description']).find(Boolean) ?? ''));
    }
    if (options.size === 0) return null;
    return {
      from: context.pos - m[3]!.length,
      options: [...options].map(([label, info]) => ({ label, type: 'property', apply: label + ': ', info: info || undefined })),
      validFor: /^[A-Za-z0-9_.-]*$/,
    };
  };
}
