/**
 * The one Swarm service a pod becomes: the controller image with its flags,
 * the Docker socket, what was hoisted from the members, the pod.* labels, a
 * health check that waits for the slowest member, and a stop grace period
 * that outlasts the members' own.
 */
import { DOCKER_SOCKET, PROJECT_MOUNT, encodeLabels, type CopySpec, type InitComponent } from "../labels/protocol.js";
import type { ComposeService } from "../compose/model.js";
import { normalizeDependsOn, parseDuration } from "../compose/normalize.js";
import { createGraph, startWaves } from "../pod/graph.js";
import type { PodDeclaration } from "../pod/model.js";
import { PACKAGE_VERSION } from "../version.js";
import { isMapping, sortedKeys } from "./context.js";
import { formatDuration } from "./durations.js";
import type { HoistedFiles, SwarmPort } from "./hoist.js";
import type { SwarmService } from "./types.js";

export const DEFAULT_CONTROLLER_IMAGE = `podlike/controller:${PACKAGE_VERSION}`;

/** Docker's health check defaults, used for members that leave a field unset. */
const DOCKER_HEALTH_INTERVAL_MS = 30_000;
const DOCKER_HEALTH_RETRIES = 3;
/** Docker's stop timeout when a service sets no stop_grace_period. */
const DOCKER_STOP_GRACE_MS = 10_000;
/** Time the controller needs around its members: pulling, creating, removing. */
const CONTROLLER_MARGIN_MS = 5_000;
const MIN_START_PERIOD_MS = 30_000;

/**
 * Swarm turns a task Running at its first passing check, so the interval is
 * how late a healthy pod is reported: 1 s. start_interval would allow a long
 * interval afterwards, but engines before API 1.44 ignore it; the check is
 * the controller image's C program, cheap enough to run every second (see
 * the README). 30 retries keep the 30 s a pod may fail before Swarm replaces it.
 */
export const CONTROLLER_HEALTHCHECK = {
  test: ["CMD", "podlike-healthcheck"],
  interval: "1s",
  timeout: "5s",
  retries: 30,
};

/** The controller's command-line flags from x-pods.<pod>.controller. */
export function controllerFlags(pod: PodDeclaration): string[] {
  const flags: string[] = [];
  if (pod.controller.logs) flags.push("--logs");
  if (pod.controller.pull) flags.push("--pull");
  if (!pod.controller.share.pid) flags.push("--no-pids");
  if (!pod.controller.share.ipc) flags.push("--no-ipc");
  if (pod.controller.share.volumes) flags.push("--volumes");
  return flags;
}

/**
 * How long a member may take to report healthy before its own health check
 * gives up: start_period + interval × retries (Docker's defaults where unset;
 * 0 without a health check or with it disabled).
 */
export function memberHealthWindow(service: Record<string, unknown>): number {
  const check = service.healthcheck;
  if (!isMapping(check) || check.disable === true) return 0;
  if (Array.isArray(check.test) && check.test[0] === "NONE") return 0;
  const start = parseDuration(check.start_period) ?? 0;
  const interval = parseDuration(check.interval) ?? DOCKER_HEALTH_INTERVAL_MS;
  const retries = typeof check.retries === "number" ? check.retries : DOCKER_HEALTH_RETRIES;
  return start + interval * retries;
}

/** The controller's start period: the slowest member's health window, at least 30s. */
export function controllerStartPeriod(components: readonly Record<string, unknown>[]): number {
  return Math.max(MIN_START_PERIOD_MS, ...components.map(memberHealthWindow));
}

/**
 * The controller's stop grace period: components stop in reverse start order,
 * one dependency wave after another, so the pod needs the sum over waves of
 * the longest stop_grace_period in each wave (Docker's 10s where unset), plus
 * a margin for the controller itself.
 */
export function controllerStopGrace(components: Record<string, Record<string, unknown>>): number {
  const names = Object.keys(components);
  const grace = (name: string) => parseDuration(components[name]!.stop_grace_period) ?? DOCKER_STOP_GRACE_MS;
  let waves: string[][];
  try {
    waves = startWaves(createGraph(names, (name) => Object.keys(normalizeDependsOn(components[name]!.depends_on))));
  } catch {
    waves = names.map((name) => [name]); // a cycle (lint reports it): every component on its own
  }
  const total = waves.reduce((sum, wave) => sum + Math.max(0, ...wave.map(grace)), 0);
  return total + CONTROLLER_MARGIN_MS;
}

export interface ControllerInput {
  pod: PodDeclaration;
  image: string;
  components: Record<string, ComposeService>;
  init: InitComponent[];
  ports: SwarmPort[];
  networks: Record<string, unknown>;
  deploy?: Record<string, unknown>;
  volumes: Record<string, unknown>[];
  files: HoistedFiles;
  /** A member's bind source is relative to the stack file's folder: mount that folder (see PROJECT_MOUNT). */
  projectMount?: boolean;
}

export function buildControllerService(input: ControllerInput): SwarmService {
  const copies: Record<string, CopySpec[]> = input.files.copies;
  const service: SwarmService = {
    image: input.image,
    init: true,
    labels: encodeLabels({ components: input.components, init: input.init, copies }),
    volumes: [
      `${DOCKER_SOCKET}:${DOCKER_SOCKET}`,
      ...input.volumes,
      ...(input.projectMount ? [{ type: "bind", source: ".", target: PROJECT_MOUNT, read_only: true }] : []),
    ],
    healthcheck: { ...CONTROLLER_HEALTHCHECK, start_period: formatDuration(controllerStartPeriod(Object.values(input.components))) },
    stop_grace_period: formatDuration(controllerStopGrace(input.components)),
  };
  const flags = controllerFlags(input.pod);
  if (flags.length) service.command = flags;
  if (input.ports.length) service.ports = input.ports;
  // Only the default network, without aliases: the same as saying nothing.
  const onlyDefault = Object.keys(input.networks).length === 1 && isMapping(input.networks.default) && Object.keys(input.networks.default).length === 0;
  if (Object.keys(input.networks).length && !onlyDefault) service.networks = input.networks;
  if (input.deploy) service.deploy = input.deploy;
  if (input.files.configs.length) service.configs = input.files.configs;
  if (input.files.secrets.length) service.secrets = input.files.secrets;
  return sortedKeys(service);
}
