// Preloaded with node -r: writes the process's peak resident memory (KiB) to
// the file named by PODLIKE_BENCH_RSS_FILE when it exits.
"use strict";
const file = process.env.PODLIKE_BENCH_RSS_FILE;
if (file) process.on("exit", () => require("node:fs").writeFileSync(file, String(process.resourceUsage().maxRSS)));
