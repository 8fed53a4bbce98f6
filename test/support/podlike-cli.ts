// The command line as bin/podlike runs it, from the sources: for tests that need a real process (pipes, signals, hangs).
import { main } from "../../src/cli/main.js";

process.exitCode = await main(process.argv.slice(2));
