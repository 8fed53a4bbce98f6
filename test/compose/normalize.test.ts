import { test } from "node:test";
import assert from "node:assert/strict";
import {
  normalizeCommand,
  normalizeDependsOn,
  normalizeEnvFiles,
  normalizeEnvironment,
  normalizeExtraHosts,
  normalizeFileReferences,
  normalizeLabels,
  normalizePorts,
  normalizeStringList,
  normalizeVolumes,
  parseByteSize,
  parseDuration,
} from "../../src/compose/normalize.js";

test("ports: short forms, ranges and the long form", () => {
  const cases: [unknown, unknown][] = [
    ["8080:80", [{ target: 80, published: "8080", protocol: "tcp", mode: "ingress" }]],
    ["127.0.0.1:8080:80/udp", [{ target: 80, published: "8080", host_ip: "127.0.0.1", protocol: "udp", mode: "ingress" }]],
    ["127.0.0.1::80", [{ target: 80, host_ip: "127.0.0.1", protocol: "tcp", mode: "ingress" }]],
    ["[::1]:53:53/udp", [{ target: 53, published: "53", host_ip: "::1", protocol: "udp", mode: "ingress" }]],
    [80, [{ target: 80, protocol: "tcp", mode: "ingress" }]],
    ["3000-3002", [3000, 3001, 3002].map((target) => ({ target, protocol: "tcp", mode: "ingress" }))],
    ["9090-9091:8080-8081", [{ target: 8080, published: "9090", protocol: "tcp", mode: "ingress" }, { target: 8081, published: "9091", protocol: "tcp", mode: "ingress" }]],
    ["8000-8010:80", [{ target: 80, published: "8000-8010", protocol: "tcp", mode: "ingress" }]],
    [{ target: 80, published: 8080, mode: "host", protocol: "UDP", name: "web", app_protocol: "http" }, [{ target: 80, published: "8080", protocol: "udp", mode: "host", name: "web", app_protocol: "http" }]],
    [{ target: "443" }, [{ target: 443, protocol: "tcp", mode: "ingress" }]],
    ["80:80/icmp", []],
    ["9090-9092:8080-8081", []],
    ["nope", []],
    [{ published: 80 }, []],
  ];
  for (const [input, expected] of cases) assert.deepEqual(normalizePorts([input]), expected, JSON.stringify(input));
  assert.deepEqual(normalizePorts("8080:80"), []);
});

test("volumes: host paths are binds, names are volumes, options are read", () => {
  assert.deepEqual(normalizeVolumes(["./conf:/etc/app:ro,z"]), [
    { type: "bind", source: "./conf", target: "/etc/app", read_only: true, bind: { create_host_path: true, selinux: "z" } },
  ]);
  assert.deepEqual(normalizeVolumes(["~/x:/x", "/abs:/abs:rshared"]).map((v) => [v.type, v.bind?.propagation]), [["bind", undefined], ["bind", "rshared"]]);
  assert.deepEqual(normalizeVolumes(["logs:/var/log:nocopy"]), [{ type: "volume", source: "logs", target: "/var/log", read_only: false, volume: { nocopy: true } }]);
  assert.deepEqual(normalizeVolumes(["/data"]), [{ type: "volume", target: "/data", read_only: false }]);
  assert.deepEqual(
    normalizeVolumes([{ type: "tmpfs", target: "/tmp", tmpfs: { size: "64m", mode: 0o1777 } }, { source: "v", target: "/v", read_only: "true", volume: { subpath: "a" } }, { type: "weird", target: "/x" }, { source: "nope" }]),
    [
      { type: "tmpfs", target: "/tmp", read_only: false, tmpfs: { size: 64 * 1024 * 1024, mode: 0o1777 } },
      { type: "volume", source: "v", target: "/v", read_only: true, volume: { subpath: "a" } },
    ],
  );
});

test("environment and labels: lists and mappings", () => {
  assert.deepEqual(normalizeEnvironment(["A=b", "B", "C=", "D=x=y"]), { A: "b", B: null, C: "", D: "x=y" });
  assert.deepEqual(normalizeEnvironment({ A: 1, B: true, C: null, D: "d", E: { no: 1 } }), { A: "1", B: "true", C: null, D: "d" });
  assert.deepEqual(normalizeLabels(["a=b", "c"]), { a: "b", c: "" });
  assert.deepEqual(normalizeLabels({ a: 1, b: null }), { a: "1", b: "" });
  assert.deepEqual(normalizeEnvironment("A=b"), {});
});

test("depends_on: list and mapping forms with defaults", () => {
  assert.deepEqual(normalizeDependsOn(["db"]), { db: { condition: "service_started", required: true, restart: false } });
  assert.deepEqual(normalizeDependsOn({ db: { condition: "service_healthy", restart: true }, mig: { condition: "service_completed_successfully", required: false }, x: null }), {
    db: { condition: "service_healthy", required: true, restart: true },
    mig: { condition: "service_completed_successfully", required: false, restart: false },
    x: { condition: "service_started", required: true, restart: false },
  });
});

test("configs and secrets of a service: short and long", () => {
  assert.deepEqual(normalizeFileReferences(["key", { source: "conf", target: "/etc/c", uid: 1000, gid: "10", mode: "0440" }, { target: "/x" }]), [
    { source: "key" },
    { source: "conf", target: "/etc/c", uid: "1000", gid: "10", mode: 0o440 },
  ]);
});

test("command: strings split like a shell, lists kept", () => {
  assert.deepEqual(normalizeCommand(`sh -c "echo 'a b' \\"c\\"" d\\ e`), ["sh", "-c", `echo 'a b' "c"`, "d e"]);
  assert.deepEqual(normalizeCommand("migrate --apply"), ["migrate", "--apply"]);
  assert.deepEqual(normalizeCommand(["a b", 1]), ["a b", "1"]);
  assert.deepEqual(normalizeCommand("''"), [""]);
  assert.equal(normalizeCommand(null), undefined);
});

test("string lists, extra hosts and env files", () => {
  assert.deepEqual(normalizeStringList("8.8.8.8"), ["8.8.8.8"]);
  assert.deepEqual(normalizeStringList(["a", 1, {}]), ["a", "1"]);
  assert.deepEqual(normalizeExtraHosts(["a:1.2.3.4", "b=::1", "junk"]), ["a:1.2.3.4", "b:::1"]);
  assert.deepEqual(normalizeExtraHosts({ a: "1.2.3.4", b: ["10.0.0.1", "::1"] }), ["a:1.2.3.4", "b:10.0.0.1", "b:::1"]);
  assert.deepEqual(normalizeEnvFiles("a.env"), [{ path: "a.env", required: true }]);
  assert.deepEqual(normalizeEnvFiles(["a.env", { path: "b.env", required: false, format: "raw" }, { nope: 1 }]), [
    { path: "a.env", required: true },
    { path: "b.env", required: false, format: "raw" },
  ]);
});

test("durations and sizes", () => {
  const durations: [unknown, number | undefined][] = [
    ["1m30s", 90_000], ["500ms", 500], ["10s", 10_000], ["1h", 3_600_000], ["2us", 0.002], ["1.5s", 1500], ["0", 0], [5, 5000], ["", undefined], ["10", undefined], ["1x", undefined], [null, undefined],
  ];
  for (const [input, ms] of durations) assert.equal(parseDuration(input), ms, String(input));
  const sizes: [unknown, number | undefined][] = [
    ["512m", 512 * 1024 ** 2], ["1g", 1024 ** 3], ["100k", 102_400], ["1.5gb", 1.5 * 1024 ** 3], [1024, 1024], ["64", 64], ["12MiB", 12 * 1024 ** 2], ["lots", undefined],
  ];
  for (const [input, bytes] of sizes) assert.equal(parseByteSize(input), bytes, String(input));
});
