/**
 * Convert keeps everything `docker stack` keeps: fixtures/convert/full-example
 * holds every key of the stack file format 3.13 (in the shape of docker/cli's
 * own loader test file), and `docker stack config` reads the original and
 * convert's output the same, apart from what convert resolves by design
 * (README: build next to an image is dropped, env_file is inlined into
 * environment, a bare environment name unset where convert runs is left out).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { cpSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { CONVERT_FIXTURES, STACK_CONFIG_CLI, runCli, stackConfigUnavailable } from "./support.js";

type Stack = { version: string; services: Record<string, Record<string, unknown>> } & Record<string, unknown>;

/** `docker stack config -c file` in `dir`, parsed. */
function stackConfig(dir: string, file: string): Stack {
  const output = execFileSync(STACK_CONFIG_CLI, ["stack", "config", "-c", file], {
    cwd: dir,
    encoding: "utf8",
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: dir },
    stdio: ["ignore", "pipe", "pipe"],
  });
  return parse(output) as Stack;
}

/** What convert resolves on purpose, applied to docker's reading of the original. */
function withDocumentedResolutions(stack: Stack): Stack {
  for (const service of Object.values(stack.services)) {
    delete service.build; // build next to an image: Swarm runs the image
    delete service.env_file; // inlined into environment (docker stack config shows both)
    // A bare name, unset where convert runs, is left out: docker stack deploy
    // would send it without a value, which the engine reads as unset.
    const environment = service.environment as Record<string, unknown> | undefined;
    for (const [name, value] of Object.entries(environment ?? {})) if (value === null) delete environment![name];
  }
  return stack;
}

describe("docker stack config reads convert's output of the full example as it reads the original", { skip: stackConfigUnavailable() }, () => {
  it("differs only in what convert resolves by design", async (t) => {
    const dir = mkdtempSync(join(tmpdir(), "podlike-full-example-"));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    cpSync(join(CONVERT_FIXTURES, "full-example"), dir, { recursive: true });
    // ~ is the same home folder for convert and for docker stack config
    const run = await runCli(["convert", "-o", "stack.yml"], dir, { HOME: dir });
    assert.equal(run.code, 0, run.stderr);
    assert.equal(run.stderr, "", "nothing of the example is dropped");

    const original = withDocumentedResolutions(stackConfig(dir, "compose.yml"));
    const converted = stackConfig(dir, "stack.yml");
    assert.deepEqual(converted, original);
    // The comparison is not vacuous: the keys of the issue are there on both sides.
    const shop = converted.services.shop!;
    assert.equal((shop.healthcheck as Record<string, unknown>).start_interval, "2s");
    assert.deepEqual((shop.networks as Record<string, Record<string, unknown>>).front!.driver_opts, { "com.example.qos": "gold" });
    assert.equal(shop["x-owner"], "storefront-team");
    assert.ok((converted.volumes as Record<string, Record<string, unknown>>).catalog_data!["x-cluster-spec"]);
    assert.equal((shop.environment as Record<string, string>).SHOP_FROM_FILE, "yes", "env_file is inlined");
    // ...and so are the shapes of the loader's own test file
    const mounts = shop.volumes as Record<string, unknown>[];
    assert.deepEqual(mounts.filter((m) => m.type === "cluster").map((m) => m.source), ["group:catalog", "catalog_data"]);
    assert.equal(mounts.find((m) => String(m.target).startsWith("/etc/shop/settings"))?.source, join(dir, "shop-settings"));
    assert.ok((shop.ports as unknown[]).length > 10, "every port of every range");
    assert.equal(converted.services.ledger!.network_mode, "container:4f0c1d2e3b4a5968778695a4b3c2d1e0f0e1d2c3b4a5968778695a4b3c2d1e0");
    const catalogBlocks = (converted.volumes as Record<string, Record<string, any>>).catalog_blocks!["x-cluster-spec"];
    assert.deepEqual(catalogBlocks.access_mode.block_volume, {});
    assert.deepEqual((converted.volumes as Record<string, Record<string, any>>).catalog_data!["x-cluster-spec"].secrets, [{ key: "csi-token", secret: "vault_token" }]);
    assert.deepEqual((converted.networks as Record<string, Record<string, unknown>>).legacy!.name, "legacy-net");
    assert.deepEqual(converted["x-defaults"], { retries: 3, regions: ["eu-west", "eu-central"] });
  });

  it("writes the lowest format version that holds every key: 3.13 here, 3.9 without the newer keys", async (t) => {
    const dir = mkdtempSync(join(tmpdir(), "podlike-full-example-"));
    t.after(() => rmSync(dir, { recursive: true, force: true }));
    cpSync(join(CONVERT_FIXTURES, "full-example"), dir, { recursive: true });
    assert.match((await runCli(["convert"], dir)).stdout, /^version: "3\.13"\n/);
    writeFileSync(join(dir, "compose.yml"), 'version: "3.13"\nservices:\n  web:\n    image: nginx\n    x-note: kept\n');
    const plain = await runCli(["convert"], dir);
    assert.match(plain.stdout, /^version: "3\.9"\n/);
    assert.match(plain.stdout, /x-note: kept/);
  });
});
