/** How long a run's lease lasts without renewal (`--run-lease`): a run whose replica died is carried on this long after. */
export const DEFAULT_RUN_LEASE_MS = 15_000;
