import crypto from 'crypto';
import type { GraphPlan } from './types';

/** Canonical JSON: object keys sorted, so the same plan always hashes the same. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * Identity of what a plan writes (entries and their mappings, not warnings or batch sizes): checkpoints of a
 * stopped run only apply to a run of the same fingerprint.
 */
export function planFingerprint(plan: GraphPlan): string {
  const strip = <T extends { warnings?: unknown }>(entry: T) => ({ ...entry, warnings: undefined });
  const identity = { nodes: plan.nodes.map(strip), relationships: plan.relationships.map(strip) };
  return crypto.createHash('sha256').update(canonical(identity)).digest('hex').slice(0, 16);
}
