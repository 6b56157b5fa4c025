/**
 * Names the pack itself uses in the graph, which a plan's labels and properties must never take: the label of
 * its checkpoint nodes (a plan entry with it would mix data with checkpoints, and the checkpoint constraint
 * would stand in its way) and the `~`-names Neptune keeps for itself (`~id`, `~label`, `~from`, `~to`: the
 * Neptune dialect writes ids as `~id`). Plan validation refuses them, naming the path.
 */
export const CHECKPOINT_LABEL = 'Pg2GraphCheckpoint';

/** Why a label cannot be used, or undefined when it can (the pack uses no relationship type of its own). */
export function reservedLabel(name: string): string | undefined {
  if (name === CHECKPOINT_LABEL) return `"${name}" is the label of pg2graph's own checkpoint nodes; choose another label`;
  return undefined;
}

/** Why a property name cannot be used, or undefined when it can. */
export function reservedProperty(name: string): string | undefined {
  if (name.startsWith('~')) return `"${name}": names starting with "~" are Neptune's own (~id, ~label, ~from, ~to); choose another name`;
  return undefined;
}
