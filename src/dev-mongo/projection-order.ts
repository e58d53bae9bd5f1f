/**
 * Field order of an inclusion projection's output. mingo writes the fields in the projection's
 * order; mongod's projection executor walks the input document and copies the included fields (and
 * the sub-documents holding included fields) in the document's own order, then appends computed
 * fields in the projection's order (ProjectionNode::applyProjections, then applyExpressions). An
 * exclusion projection keeps the document's order in both.
 */
import type { Document } from 'bson';
import { isPlainObject } from './doc-paths.js';

/** What a projection does with a field: copies it, computes it, or projects inside it. */
type Rule = 'include' | 'exclude' | 'computed' | RuleTree;
type RuleTree = Map<string, Rule>;

/** `projected` (mingo's output for `input`) with its fields in the order mongod returns them. */
export function inDocumentOrder(projected: Document, input: Document, projection: Document): Document {
  const tree = ruleTree(projection);
  if (!isInclusion(tree)) return projected;
  if (!tree.has('_id')) tree.set('_id', 'include');
  return reorder(projected, input, tree);
}

function ruleTree(projection: Document): RuleTree {
  const tree: RuleTree = new Map();
  for (const [path, value] of Object.entries(projection)) {
    const parts = path.split('.');
    let node = tree;
    for (const part of parts.slice(0, -1)) {
      const child = node.get(part);
      node = child instanceof Map ? child : setChild(node, part);
    }
    const last = parts[parts.length - 1] as string;
    node.set(last, isNestedSpec(value) ? ruleTree(value) : ruleOf(value));
  }
  return tree;
}

function setChild(node: RuleTree, part: string): RuleTree {
  const child: RuleTree = new Map();
  node.set(part, child);
  return child;
}

function isNestedSpec(value: unknown): value is Document {
  return isPlainObject(value) && !Object.keys(value).some((k) => k.startsWith('$'));
}

/** `$slice` and `$elemMatch` narrow a stored field in place; other operators and literals compute one. */
function ruleOf(value: unknown): Rule {
  if (typeof value === 'number' || typeof value === 'boolean') return value ? 'include' : 'exclude';
  if (isPlainObject(value) && ('$slice' in value || '$elemMatch' in value)) return 'include';
  return 'computed';
}

function isInclusion(tree: RuleTree): boolean {
  for (const [field, rule] of tree) {
    if (rule === 'exclude') continue;
    if (rule instanceof Map ? isInclusion(rule) : field !== '_id' || rule === 'computed') return true;
  }
  return false;
}

/** Included fields in the input's order, then the computed ones in the projection's order. */
function reorder(out: Document, input: Document, tree: RuleTree): Document {
  const result: Document = {};
  for (const key of Object.keys(input)) {
    if (!Object.hasOwn(out, key)) continue;
    const rule = tree.get(key);
    if (rule === 'include') result[key] = out[key];
    else if (rule instanceof Map) result[key] = reorderValue(out[key], input[key], rule);
  }
  for (const key of [...tree.keys(), ...Object.keys(out)]) {
    if (Object.hasOwn(out, key) && !Object.hasOwn(result, key)) result[key] = out[key];
  }
  return result;
}

function reorderValue(out: unknown, input: unknown, tree: RuleTree): unknown {
  if (isPlainObject(out) && isPlainObject(input)) return reorder(out, input, tree);
  if (!Array.isArray(out) || !Array.isArray(input)) return out;
  // Inside arrays an inclusion keeps only documents and arrays: align with those.
  const kept = out.length === input.length ? input : input.filter((v) => isPlainObject(v) || Array.isArray(v));
  return kept.length === out.length ? out.map((item, i) => reorderValue(item, kept[i], tree)) : out;
}
