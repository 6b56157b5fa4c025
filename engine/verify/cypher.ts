/**
 * The Cypher text of verification, generated from the plan's labels, types and property names (every name
 * backtick-quoted; values only as parameters). Nodes of the writer's checkpoint label are never counted.
 */
import { labelText, quoteName } from '../cypher/names';
import { CHECKPOINT_LABEL } from '../run';

export interface NodeTarget {
  labels: string[];
  key: string[];
}

export interface RelationshipTarget {
  type: string;
  from: { labels: string[]; match: string[] };
  to: { labels: string[]; match: string[] };
}

const NOT_CHECKPOINT = `NOT n${labelText([CHECKPOINT_LABEL])}`;

function matchMap(names: readonly string[], list: string, offset = 0): string {
  return `{${names.map((name, i) => `${quoteName(name)}: ${list}[${offset + i}]`).join(', ')}}`;
}

function valueList(variable: string, names: readonly string[]): string {
  return `[${names.map((name) => `${variable}.${quoteName(name)}`).join(', ')}]`;
}

/** `MATCH` of every node of an entry, bound to n. */
export function nodeMatch(node: NodeTarget): string {
  return `MATCH (n${labelText(node.labels)}) WHERE ${NOT_CHECKPOINT}`;
}

/** `MATCH` of every relationship of an entry (its type between its end labels), bound to a, e, b. */
export function relationshipMatch(rel: RelationshipTarget): string {
  return `MATCH (a${labelText(rel.from.labels)})-[e${labelText([rel.type])}]->(b${labelText(rel.to.labels)})`;
}

export function nodeCount(node: NodeTarget): string {
  return `${nodeMatch(node)} RETURN count(n) AS count`;
}

export function relationshipCount(rel: RelationshipTarget): string {
  return `${relationshipMatch(rel)} RETURN count(e) AS count`;
}

/** Per key of $keys (lists of key values): how many nodes have it, and the first one's properties when $compare[i]. */
export function nodeLookup(node: NodeTarget): string {
  return [
    'UNWIND range(0, size($keys) - 1) AS i',
    'WITH i, $keys[i] AS k',
    `MATCH (n${labelText(node.labels)} ${matchMap(node.key, 'k')})`,
    'WITH i, collect(n) AS found',
    'RETURN i, size(found) AS count, CASE WHEN $compare[i] THEN properties(found[0]) END AS properties',
  ].join('\n');
}

/** Per pair of $pairs ([from match values..., to match values...]): how many relationships join them, and the first one's properties. */
export function relationshipLookup(rel: RelationshipTarget): string {
  const offset = rel.from.match.length;
  return [
    'UNWIND range(0, size($pairs) - 1) AS i',
    'WITH i, $pairs[i] AS p',
    // both ends by their keys first, then the relationship between them (Expand(Into) walks from the end with
    // fewer relationships): in one pattern the planner may seek one end and walk all of its relationships, which
    // for an end with tens of thousands (a manager of everyone) makes each lookup a scan
    `MATCH (a${labelText(rel.from.labels)} ${matchMap(rel.from.match, 'p')})`,
    `MATCH (b${labelText(rel.to.labels)} ${matchMap(rel.to.match, 'p', offset)})`,
    `CALL { WITH a, b MATCH (a)-[e${labelText([rel.type])}]->(b) RETURN e }`,
    'WITH i, collect(e) AS found',
    'RETURN i, size(found) AS count, CASE WHEN $compare[i] THEN properties(found[0]) END AS properties',
  ].join('\n');
}

/** Every node's key values (streamed, to find nodes the source does not have). */
export function nodeKeys(node: NodeTarget): string {
  return `${nodeMatch(node)} RETURN ${valueList('n', node.key)} AS key`;
}

/** Every relationship's end values. */
export function relationshipPairs(rel: RelationshipTarget): string {
  return `${relationshipMatch(rel)} RETURN ${valueList('a', rel.from.match)} + ${valueList('b', rel.to.match)} AS pair`;
}

/** Whether the two ends of a missing relationship exist ($pair as in relationshipLookup). */
export function relationshipEndsExist(rel: RelationshipTarget): string {
  return [
    `OPTIONAL MATCH (a${labelText(rel.from.labels)} ${matchMap(rel.from.match, '$pair')})`,
    'WITH count(a) AS starts',
    `OPTIONAL MATCH (b${labelText(rel.to.labels)} ${matchMap(rel.to.match, '$pair', rel.from.match.length)})`,
    'RETURN starts, count(b) AS ends',
  ].join('\n');
}

/** Aggregates read a property off each record: the MATCH, the record variable and its identity values. */
export function aggregateSource(target: { node: NodeTarget } | { rel: RelationshipTarget }): { match: string; record: string; identity: string } {
  if ('node' in target) return { match: nodeMatch(target.node), record: 'n', identity: valueList('n', target.node.key) };
  const rel = target.rel;
  return { match: relationshipMatch(rel), record: 'e', identity: `${valueList('a', rel.from.match)} + ${valueList('b', rel.to.match)}` };
}
