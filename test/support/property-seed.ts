/**
 * Loaded before every test file. With FC_SEED set, every fast-check property
 * runs from that seed, so a run can be repeated exactly (CI sets one so that
 * its verdict never depends on luck). Without it, each run explores new
 * inputs, and a failure prints the seed that reproduces it.
 */
import fc from "fast-check";

const seed = process.env.FC_SEED;
if (seed !== undefined && seed !== "") fc.configureGlobal({ seed: Number(seed) });
