/**
 * The healthcheck, ulimits and logging mappers deploy and the controller
 * share: the same Compose value gives the same Engine API value to both, and
 * a setting newer than the engine's API version is left out and named.
 */
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { parse } from "yaml";
import { mapHealthcheck } from "../../src/engine-spec/healthcheck.js";
import { mapUlimits } from "../../src/engine-spec/ulimits.js";
import { mapLogging } from "../../src/engine-spec/logging.js";
import { componentCreateBody, type PodContext } from "../../src/controller/container-spec.js";
import { specOf } from "../deploy/support.js";

const collect = () => {
  const problems: string[] = [];
  return { problems, problem: (key: string, text: string) => void problems.push(`${key} ${text}`) };
};

const POD: PodContext = { controllerId: "c0ffee", controllerName: "st_web.1.x", sharePid: true, volumeNames: {}, labels: {} };

describe("shared Engine API mappers", () => {
  test("start_interval is sent to an engine of API 1.44 or later, and left out and named for an older one", () => {
    const check = { test: ["CMD", "true"], start_interval: "2s" };
    const { problem } = collect();
    assert.equal(mapHealthcheck(check, problem, "1.44").spec?.StartInterval, 2_000_000_000);
    const old = mapHealthcheck(check, problem, "1.41");
    assert.equal(old.spec?.StartInterval, undefined);
    assert.deepEqual(old.unsupported, [{ key: "healthcheck.start_interval", since: "1.44" }]);
  });

  test("a value that cannot be read is named by its key and left out", () => {
    const { problems, problem } = collect();
    assert.deepEqual(mapHealthcheck({ interval: "soon", retries: 2 }, problem).spec, { Retries: 2 });
    assert.deepEqual(mapUlimits({ nofile: { soft: "x", hard: 2 }, nproc: 5 }, problem), [{ Name: "nproc", Soft: 5, Hard: 5 }]);
    assert.deepEqual(problems, ['healthcheck.interval must be a duration such as 30s or 1m30s, not "soon"', 'ulimits.nofile.soft must be a whole number, not "x"']);
  });

  test("deploy and the controller send the same health check, ulimits and log driver for the same service", async () => {
    const service = "image: app:1\nhealthcheck: {test: curl -f localhost, interval: 5s, timeout: 2s, retries: 3, start_period: 1m}\nulimits: {nproc: 512, nofile: {soft: 1024, hard: 4096}}\nlogging: {driver: json-file, options: {max-size: 1m, max-file: 3}}";
    const { spec } = await specOf(service);
    const deployed = (spec.TaskTemplate as Record<string, any>);
    const { body } = componentCreateBody("app", parse(service), POD);
    const host = body.HostConfig as Record<string, any>;
    assert.deepEqual(deployed.ContainerSpec.Healthcheck, body.Healthcheck);
    assert.deepEqual(deployed.ContainerSpec.Ulimits, host.Ulimits);
    assert.deepEqual({ Name: deployed.LogDriver.Name, Options: deployed.LogDriver.Options }, { Name: host.LogConfig.Type, Options: host.LogConfig.Config });
    assert.deepEqual(mapLogging({ driver: "json-file", options: { "max-file": 3 } }, collect().problem), { driver: "json-file", options: { "max-file": "3" } });
  });

  test("the controller leaves start_interval out on an older engine and names it for the pod to report", () => {
    const { body, warnings, unsupported } = componentCreateBody("app", { image: "a", healthcheck: { test: "true", start_interval: "1s" } }, { ...POD, apiVersion: "1.41" });
    assert.equal((body.Healthcheck as Record<string, unknown>).StartInterval, undefined);
    assert.deepEqual(unsupported, [{ key: "healthcheck.start_interval", since: "1.44" }]);
    assert.deepEqual(warnings, []);
  });

  test("deploy maps start_interval where the engine's API has it, and otherwise warns at the key", async () => {
    const { spec, diagnostics } = await specOf("image: app:1\nhealthcheck: {test: \"true\", start_interval: 3s}");
    assert.equal((spec.TaskTemplate as Record<string, any>).ContainerSpec.Healthcheck.StartInterval, undefined);
    const warning = diagnostics.find((d) => d.path?.join(".") === "services.app.healthcheck.start_interval");
    assert.match(warning?.message ?? "", /start_interval is ignored: it needs Engine API 1\.44/);
  });
});
