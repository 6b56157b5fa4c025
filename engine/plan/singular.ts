/**
 * A small English singularizer for table names (labels are singular: `order_details` -> `OrderDetail`).
 * Works on one lower-case word; anything it does not recognise as a plural is returned unchanged.
 */

/** Words that are the same in both numbers, or are no plural although they end in "s". */
const UNCHANGED = new Set([
  'data', 'metadata', 'news', 'series', 'species', 'status', 'info', 'information', 'equipment', 'sheep', 'fish',
  'deer', 'aircraft', 'software', 'hardware', 'feedback', 'analytics', 'physics', 'statistics', 'economics',
  'mathematics', 'politics', 'ethics', 'logistics', 'gps', 'sms', 'dns', 'os', 'ios', 'bus', 'gas', 'plus',
  'bonus', 'campus', 'virus', 'census', 'corpus', 'canvas', 'atlas', 'alias', 'axis', 'basis', 'analysis',
  'thesis', 'crisis', 'diagnosis', 'synopsis', 'chaos', 'lens', 'means', 'pants', 'scissors', 'thanks',
]);

/** Irregular plurals and plurals the suffix rules would get wrong. */
const IRREGULAR: Record<string, string> = {
  people: 'person', persons: 'person', children: 'child', men: 'man', women: 'woman', mice: 'mouse', geese: 'goose',
  teeth: 'tooth', feet: 'foot', oxen: 'ox', indices: 'index', matrices: 'matrix', vertices: 'vertex',
  criteria: 'criterion', phenomena: 'phenomenon', analyses: 'analysis', theses: 'thesis', crises: 'crisis',
  diagnoses: 'diagnosis', axes: 'axis', statuses: 'status', buses: 'bus', aliases: 'alias', bonuses: 'bonus',
  campuses: 'campus', viruses: 'virus', censuses: 'census', focuses: 'focus', syllabuses: 'syllabus',
  movies: 'movie', cookies: 'cookie', pies: 'pie', ties: 'tie', lies: 'lie', zombies: 'zombie', rookies: 'rookie',
  calories: 'calorie', selfies: 'selfie', goalies: 'goalie', lives: 'life', wives: 'wife', knives: 'knife',
  leaves: 'leaf', halves: 'half', shelves: 'shelf', wolves: 'wolf', thieves: 'thief', heroes: 'hero',
  potatoes: 'potato', tomatoes: 'tomato', echoes: 'echo', vetoes: 'veto',
};

export function singularize(word: string): string {
  if (UNCHANGED.has(word)) return word;
  if (IRREGULAR[word]) return IRREGULAR[word];
  if (word.length <= 3) return word;
  if (word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.endsWith('sses')) return word.slice(0, -2);
  if (word.endsWith('ses')) return word.slice(0, -1);
  if (word.endsWith('xes') || word.endsWith('ches') || word.endsWith('shes') || word.endsWith('zzes')) return word.slice(0, -2);
  if (word.endsWith('ss') || word.endsWith('us') || word.endsWith('is')) return word;
  if (word.endsWith('s')) return word.slice(0, -1);
  return word;
}
