import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { parseControllerFlags } from "../../src/controller/flags.js";
import { UsageError } from "../../src/diagnostics/errors.js";

describe("controller flags", () => {
  test("GNU and Go forms", () => {
    assert.deepEqual(parseControllerFlags([]).flags, { logs: false, pull: false, pids: true, ipc: true, volumes: false });
    assert.deepEqual(parseControllerFlags(["--logs", "--no-pids", "--no-ipc", "--pull", "--volumes"]).flags, { logs: true, pull: true, pids: false, ipc: false, volumes: true });
    assert.deepEqual(parseControllerFlags(["-logs", "-pids=false", "-ipc=0", "-pull=true", "-volumes=t"]).flags, { logs: true, pull: true, pids: false, ipc: false, volumes: true });
    assert.equal(parseControllerFlags(["--pids=false", "--pids"]).flags.pids, true, "the last one wins");
    assert.equal(parseControllerFlags(["-h"]).help, true);
  });

  test("unknown flags and bad values are usage errors", () => {
    assert.throws(() => parseControllerFlags(["--log"]), (e: unknown) => e instanceof UsageError && /unknown controller flag "--log"/.test(e.message));
    assert.throws(() => parseControllerFlags(["-pids=maybe"]), /the value must be true or false/);
    assert.throws(() => parseControllerFlags(["--no-pids=true"]), UsageError);
  });
});
