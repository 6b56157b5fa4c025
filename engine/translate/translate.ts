/** translateSql: SQL text and a graph plan -> Cypher that answers the same (README, From SQL to Cypher). */
import type { GraphPlan } from '../plan/types';
import { parseStatement } from './parse';
import { translateSelect } from './select';
import type { TranslateOptions, Translation } from './types';

export async function translateSql(sql: string, plan: GraphPlan, options: TranslateOptions = {}): Promise<Translation> {
  const parsed = await parseStatement(sql);
  return translateSelect(parsed, plan, options);
}
