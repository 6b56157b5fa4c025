/** What the translator hands back (see README, From SQL to Cypher). */

/** Something the user should know about a translation: a cartesian join, a collation-dependent order, ... */
export interface TranslationNote {
  code: string;
  message: string;
  /** 1-based character position in the SQL of the construct the note is about. */
  position?: number;
}

export interface Translation {
  cypher: string;
  /** Cypher parameter name -> value: `$1` of the SQL is `$p1` (the value of options.params[0], else null). */
  parameters: Record<string, unknown>;
  /** The SQL's output column names in order; the Cypher RETURN uses exactly these names. */
  columns: string[];
  notes: TranslationNote[];
  /** The SQL has ORDER BY: the rows come in a defined order. */
  ordered: boolean;
  /** The node properties its WHERE and ORDER BY filter or sort on (for index advice), each once. */
  filters: FilteredProperty[];
}

/** A node property a query filters (WHERE) or sorts (ORDER BY) on. */
export interface FilteredProperty {
  label: string;
  property: string;
  clause: 'where' | 'order';
}

export interface TranslateOptions {
  /** The Cypher dialect to write; only Neo4j's for now. */
  dialect?: 'neo4j';
  /** Values of $1, $2, ... copied into `parameters` as p1, p2, ... */
  params?: readonly unknown[];
}
