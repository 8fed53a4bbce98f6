/**
 * A component's resource settings: CPU, memory, PIDs, block IO, ulimits and
 * devices, with deploy.resources as the fallback where the service-level key
 * is not set (as docker compose does).
 */
import {
  ComponentSpecError,
  isMapping,
  readBoolean,
  readDuration,
  readInteger,
  readMapping,
  readNumber,
  readSize,
  readString,
  readStringList,
  type ValueSite,
} from "./container-spec-values.js";

import { mapUlimits } from "../engine-spec/ulimits.js";

type Service = Record<string, unknown>;
type HostConfig = Record<string, unknown>;

const has = (service: Service, key: string): boolean => service[key] !== undefined && service[key] !== null;

function nanoCpus(site: ValueSite, value: unknown): number {
  const cpus = readNumber(site, value, "cpus is a number of CPUs such as 0.5 or 2");
  if (cpus < 0) throw new ComponentSpecError(site.component, site.key, "must not be negative");
  return Math.round(cpus * 1e9);
}

/** cpu_rt_period / cpu_rt_runtime: microseconds, or a duration. */
function microseconds(site: ValueSite, value: unknown): number {
  if (typeof value === "number" || (typeof value === "string" && /^\s*\d+\s*$/.test(value))) return readInteger(site, value);
  return Math.round(readDuration(site, value) * 1000);
}

function blkioList(site: ValueSite, value: unknown, field: "weight" | "rate", size: boolean): Array<Record<string, unknown>> {
  if (!Array.isArray(value)) throw new ComponentSpecError(site.component, site.key, "must be a list of {path, " + field + "}");
  return value.map((entry) => {
    const item = readMapping(site, entry);
    const path = readString({ ...site, key: `${site.key}.path` }, item.path);
    const amountSite = { ...site, key: `${site.key}.${field}` };
    const amount = size ? readSize(amountSite, item[field]) : readInteger(amountSite, item[field]);
    return field === "weight" ? { Path: path, Weight: amount } : { Path: path, Rate: amount };
  });
}

function blkio(component: string, value: unknown, host: HostConfig): void {
  const config = readMapping({ component, key: "blkio_config" }, value);
  const site = (key: string): ValueSite => ({ component, key: `blkio_config.${key}` });
  if (config.weight !== undefined) host.BlkioWeight = readInteger(site("weight"), config.weight);
  if (config.weight_device !== undefined) host.BlkioWeightDevice = blkioList(site("weight_device"), config.weight_device, "weight", false);
  if (config.device_read_bps !== undefined) host.BlkioDeviceReadBps = blkioList(site("device_read_bps"), config.device_read_bps, "rate", true);
  if (config.device_write_bps !== undefined) host.BlkioDeviceWriteBps = blkioList(site("device_write_bps"), config.device_write_bps, "rate", true);
  if (config.device_read_iops !== undefined) host.BlkioDeviceReadIOps = blkioList(site("device_read_iops"), config.device_read_iops, "rate", false);
  if (config.device_write_iops !== undefined) host.BlkioDeviceWriteIOps = blkioList(site("device_write_iops"), config.device_write_iops, "rate", false);
}

const DEVICE_MODE = /^[rwm]{1,3}$/;

/** "/dev/x", "/dev/x:/dev/y", "/dev/x:rw", "/dev/x:/dev/y:rwm", or {source, target, permissions}. */
function devices(component: string, value: unknown): Array<Record<string, unknown>> {
  if (!Array.isArray(value)) throw new ComponentSpecError(component, "devices", "must be a list");
  return value.map((entry) => {
    const site = { component, key: "devices" };
    if (isMapping(entry)) {
      const source = readString(site, entry.source);
      const target = entry.target === undefined ? source : readString(site, entry.target);
      const permissions = entry.permissions === undefined ? "rwm" : readString(site, entry.permissions);
      return { PathOnHost: source, PathInContainer: target, CgroupPermissions: permissions };
    }
    const parts = readString(site, entry).split(":");
    if (parts.length > 3 || parts[0] === "") throw new ComponentSpecError(component, "devices", `entry ${JSON.stringify(entry)} cannot be read`, "write SOURCE[:TARGET][:PERMISSIONS]");
    const source = parts[0]!;
    let target = source;
    let permissions = "rwm";
    if (parts.length === 3) [, target, permissions] = parts as [string, string, string];
    else if (parts.length === 2) {
      if (DEVICE_MODE.test(parts[1]!)) permissions = parts[1]!;
      else target = parts[1]!;
    }
    return { PathOnHost: source, PathInContainer: target, CgroupPermissions: permissions };
  });
}

function deviceRequest(site: ValueSite, entry: unknown, defaultCapabilities: string[]): Record<string, unknown> {
  const spec = readMapping(site, entry);
  const request: Record<string, unknown> = { Driver: spec.driver === undefined ? "" : readString(site, spec.driver) };
  if (spec.count === "all" || spec.count === -1) request.Count = -1;
  else if (spec.count !== undefined) request.Count = readInteger({ ...site, key: `${site.key}.count` }, spec.count);
  else if (spec.device_ids === undefined) request.Count = -1;
  if (spec.device_ids !== undefined) request.DeviceIDs = readStringList({ ...site, key: `${site.key}.device_ids` }, spec.device_ids);
  const capabilities = spec.capabilities === undefined ? defaultCapabilities : readStringList({ ...site, key: `${site.key}.capabilities` }, spec.capabilities);
  request.Capabilities = [capabilities];
  if (spec.options !== undefined) {
    const options = readMapping({ ...site, key: `${site.key}.options` }, spec.options);
    request.Options = Object.fromEntries(Object.entries(options).map(([k, v]) => [k, readString(site, v)]));
  }
  return request;
}

/** gpus: "all" or a list of device requests (docker run --gpus). */
function gpus(component: string, value: unknown): Array<Record<string, unknown>> {
  const site = { component, key: "gpus" };
  if (value === "all") return [{ Driver: "", Count: -1, Capabilities: [["gpu"]] }];
  if (!Array.isArray(value)) throw new ComponentSpecError(component, "gpus", `must be "all" or a list of devices`);
  return value.map((entry) => deviceRequest(site, entry, ["gpu"]));
}

/** Every resource key of the service, applied to HostConfig. */
export function applyResources(component: string, service: Service, host: HostConfig): void {
  const site = (key: string): ValueSite => ({ component, key });
  const set = (key: string, field: string, read: (site: ValueSite, value: unknown) => unknown): void => {
    if (has(service, key)) host[field] = read(site(key), service[key]);
  };
  set("cpus", "NanoCpus", nanoCpus);
  set("cpu_shares", "CpuShares", readInteger);
  set("cpu_quota", "CpuQuota", readInteger);
  set("cpu_period", "CpuPeriod", readInteger);
  set("cpu_rt_period", "CpuRealtimePeriod", microseconds);
  set("cpu_rt_runtime", "CpuRealtimeRuntime", microseconds);
  set("cpu_count", "CpuCount", readInteger);
  set("cpu_percent", "CpuPercent", readInteger);
  set("cpuset", "CpusetCpus", readString);
  set("mem_limit", "Memory", readSize);
  set("memswap_limit", "MemorySwap", (s, v) => readSize(s, v, true));
  set("mem_reservation", "MemoryReservation", readSize);
  set("mem_swappiness", "MemorySwappiness", readInteger);
  set("pids_limit", "PidsLimit", readInteger);
  set("oom_score_adj", "OomScoreAdj", readInteger);
  set("oom_kill_disable", "OomKillDisable", readBoolean);
  set("shm_size", "ShmSize", readSize);
  set("ulimits", "Ulimits", (s, v) =>
    mapUlimits(v, (key, problem, hint) => {
      throw new ComponentSpecError(s.component, key, problem, hint);
    }),
  );
  set("devices", "Devices", (s, v) => devices(s.component, v));
  set("device_cgroup_rules", "DeviceCgroupRules", (s, v) => readStringList(s, v));
  set("gpus", "DeviceRequests", (s, v) => gpus(s.component, v));
  if (has(service, "blkio_config")) blkio(component, service.blkio_config, host);
  if (has(service, "deploy")) applyDeployResources(component, service.deploy, host);
}

/** deploy.resources: limits and reservations fill what the service-level keys left unset. */
function applyDeployResources(component: string, deploy: unknown, host: HostConfig): void {
  if (!isMapping(deploy) || !isMapping(deploy.resources)) return;
  const { limits, reservations } = deploy.resources;
  const site = (key: string): ValueSite => ({ component, key: `deploy.resources.${key}` });
  if (isMapping(limits)) {
    if (limits.cpus !== undefined && host.NanoCpus === undefined) host.NanoCpus = nanoCpus(site("limits.cpus"), limits.cpus);
    if (limits.memory !== undefined && host.Memory === undefined) host.Memory = readSize(site("limits.memory"), limits.memory);
    if (limits.pids !== undefined && host.PidsLimit === undefined) host.PidsLimit = readInteger(site("limits.pids"), limits.pids);
  }
  if (isMapping(reservations)) {
    if (reservations.memory !== undefined && host.MemoryReservation === undefined) {
      host.MemoryReservation = readSize(site("reservations.memory"), reservations.memory);
    }
    if (Array.isArray(reservations.devices)) {
      const requests = reservations.devices.map((entry) => deviceRequest(site("reservations.devices"), entry, []));
      host.DeviceRequests = [...((host.DeviceRequests as unknown[] | undefined) ?? []), ...requests];
    }
  }
}
