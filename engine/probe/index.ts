export { valueChecks, mergeKeeps, type ProblemKind, type ValueCheck } from './checks';
export {
  probePlan,
  problemRows,
  checkProbeTimeout,
  DEFAULT_PROBE_TIMEOUT_MS,
  type ProbeSession,
  type ProbeOptions,
  type ProbeResult,
  type ValueProblem,
  type NotProbed,
  type ProblemRows,
} from './probe';
export {
  applyProbe,
  assertRepresentable,
  unrepresentableError,
  describeProblem,
  describeKeep,
  problemLine,
  notProbedWarning,
  groupProblems,
  type PolicyChange,
  type ProbedPlan,
} from './apply';
