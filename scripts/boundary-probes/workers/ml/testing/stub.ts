// probe: none (a target the probes import)
export const stub = 1;
