/** Root hooks of the fault campaign (npm run test:faults), loaded after hooks.ts: print the table of outcomes. */
import { faultHooks } from './fault-table';

export const mochaHooks = faultHooks;
