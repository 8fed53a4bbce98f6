import { setOwn } from "./own-keys.js";
import { isMapping } from "../yaml/mapping.js";

/**
 * Canonical readers of Compose's short and long syntaxes. Pure and tolerant:
 * malformed entries are skipped (lint and the schema report them), nothing
 * here throws.
 */

/** Scalars as Compose reads them into strings: numbers and booleans print, everything else is not a scalar. */
function scalarText(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  return undefined;
}

/** A whole number, or its text (values are text after interpolation); negative only when `signed`. */
export function toInteger(value: unknown, options: { signed?: boolean } = {}): number | undefined {
  if (typeof value === "number") return Number.isInteger(value) && (options.signed || value >= 0) ? value : undefined;
  const pattern = options.signed ? /^\s*[-+]?\d+\s*$/ : /^\s*\d+\s*$/;
  if (typeof value === "string" && pattern.test(value)) return Number(value);
  return undefined;
}

/** true/false, or their text as Compose accepts it after interpolation (yes/no, on/off, 1/0). */
export function toBoolean(value: unknown): boolean | undefined {
  if (typeof value === "boolean") return value;
  if (typeof value === "string") {
    if (/^(true|yes|on|1)$/i.test(value.trim())) return true;
    if (/^(false|no|off|0)$/i.test(value.trim())) return false;
  }
  return undefined;
}

/** A file mode: numbers as written (the YAML reader already reads 0440 as octal), strings as octal. */
function toMode(value: unknown): number | undefined {
  if (typeof value === "number" && Number.isInteger(value) && value >= 0) return value;
  if (typeof value === "string" && /^(0o?)?[0-7]+$/i.test(value.trim())) return parseInt(value.trim().replace(/^0o/i, ""), 8);
  return undefined;
}

// ---------------------------------------------------------------- ports

export interface PortConfig {
  target: number;
  published?: string;
  host_ip?: string;
  protocol: string;
  mode: "ingress" | "host";
  name?: string;
  app_protocol?: string;
}

const PROTOCOLS = new Set(["tcp", "udp", "sctp"]);

function portRange(text: string): [number, number] | undefined {
  const m = /^(\d+)(?:-(\d+))?$/.exec(text);
  if (!m) return undefined;
  const start = Number(m[1]);
  const end = m[2] === undefined ? start : Number(m[2]);
  if (start < 0 || end < start || end > 65535) return undefined;
  return [start, end];
}

function parseShortPort(spec: string): PortConfig[] {
  let text = spec.trim();
  let protocol = "tcp";
  const slash = text.lastIndexOf("/");
  if (slash >= 0) {
    protocol = text.slice(slash + 1).toLowerCase();
    text = text.slice(0, slash);
    if (!PROTOCOLS.has(protocol)) return [];
  }
  let hostIp: string | undefined;
  if (text.startsWith("[")) {
    const close = text.indexOf("]");
    if (close < 0 || text[close + 1] !== ":") return [];
    hostIp = text.slice(1, close);
    text = text.slice(close + 2);
  }
  const parts = text.split(":");
  let publishedText: string | undefined;
  let targetText: string;
  if (parts.length === 1) targetText = parts[0]!;
  else if (parts.length === 2) [publishedText, targetText] = parts as [string, string];
  else if (parts.length === 3 && hostIp === undefined) [hostIp, publishedText, targetText] = parts as [string, string, string];
  else if (hostIp === undefined && parts.length > 3) {
    // an unbracketed IPv6 host address: the last two parts are the ports
    targetText = parts[parts.length - 1]!;
    publishedText = parts[parts.length - 2]!;
    hostIp = parts.slice(0, -2).join(":");
  } else return [];
  if (hostIp === "") hostIp = undefined;
  if (publishedText === "") publishedText = undefined;

  const target = portRange(targetText);
  if (!target) return [];
  const base = { protocol, mode: "ingress" as const, ...(hostIp !== undefined ? { host_ip: hostIp } : {}) };
  const targetCount = target[1] - target[0] + 1;
  if (publishedText === undefined) {
    const out: PortConfig[] = [];
    for (let p = target[0]; p <= target[1]; p++) out.push({ target: p, ...base });
    return out;
  }
  const published = portRange(publishedText);
  if (!published) return [];
  const publishedCount = published[1] - published[0] + 1;
  if (targetCount === 1) return [{ target: target[0], published: publishedText, ...base }];
  if (publishedCount !== targetCount) return [];
  const out: PortConfig[] = [];
  for (let i = 0; i < targetCount; i++) out.push({ target: target[0] + i, published: String(published[0] + i), ...base });
  return out;
}

function parseLongPort(entry: Record<string, unknown>): PortConfig | undefined {
  const target = toInteger(entry.target);
  if (target === undefined || target < 0 || target > 65535) return undefined;
  const protocol = typeof entry.protocol === "string" ? entry.protocol.toLowerCase() : "tcp";
  const out: PortConfig = { target, protocol, mode: entry.mode === "host" ? "host" : "ingress" };
  const published = scalarText(entry.published);
  if (published !== undefined && published !== "") out.published = published;
  if (typeof entry.host_ip === "string" && entry.host_ip !== "") out.host_ip = entry.host_ip;
  if (typeof entry.name === "string") out.name = entry.name;
  if (typeof entry.app_protocol === "string") out.app_protocol = entry.app_protocol;
  return out;
}

export function normalizePorts(value: unknown): PortConfig[] {
  if (!Array.isArray(value)) return [];
  const out: PortConfig[] = [];
  for (const entry of value) {
    if (typeof entry === "number") {
      if (Number.isInteger(entry) && entry >= 0 && entry <= 65535) out.push({ target: entry, protocol: "tcp", mode: "ingress" });
    } else if (typeof entry === "string") out.push(...parseShortPort(entry));
    else if (isMapping(entry)) {
      const port = parseLongPort(entry);
      if (port) out.push(port);
    }
  }
  return out;
}

// ---------------------------------------------------------------- volumes

export interface VolumeMount {
  type: "volume" | "bind" | "tmpfs" | "npipe" | "cluster" | "image";
  source?: string;
  target: string;
  read_only: boolean;
  bind?: { propagation?: string; create_host_path?: boolean; selinux?: string };
  volume?: { nocopy?: boolean; subpath?: string };
  tmpfs?: { size?: number; mode?: number };
  consistency?: string;
}

const MOUNT_TYPES = new Set(["volume", "bind", "tmpfs", "npipe", "cluster", "image"]);
const PROPAGATIONS = new Set(["shared", "slave", "private", "rshared", "rslave", "rprivate"]);
const CONSISTENCIES = new Set(["cached", "delegated", "consistent", "default"]);

/** Does this short-syntax source name a host path (rather than a named volume)? */
export function isHostPath(source: string): boolean {
  return /^[/.~]/.test(source) || /^[A-Za-z]:[\\/]/.test(source) || source.startsWith("\\\\");
}

function parseShortVolume(spec: string): VolumeMount | undefined {
  // Windows drive letters ("C:\data:/data") contain a colon of their own.
  const parts: string[] = [];
  let rest = spec;
  while (rest.length) {
    const drive = /^[A-Za-z]:[\\/]/.test(rest) ? 2 : 0;
    const colon = rest.indexOf(":", drive);
    if (colon < 0) {
      parts.push(rest);
      break;
    }
    parts.push(rest.slice(0, colon));
    rest = rest.slice(colon + 1);
    if (!rest.length) parts.push("");
  }
  if (parts.length === 0 || parts.length > 3 || parts.some((p, i) => p === "" && i < 2)) return undefined;
  if (parts.length === 1) return { type: "volume", target: parts[0]!, read_only: false };
  const [source, target, options = ""] = parts as [string, string, string?];
  const bind = isHostPath(source);
  const mount: VolumeMount = bind
    ? { type: "bind", source, target, read_only: false, bind: { create_host_path: true } }
    : { type: "volume", source, target, read_only: false };
  for (const option of options.split(",").map((o) => o.trim()).filter(Boolean)) {
    if (option === "ro") mount.read_only = true;
    else if (option === "rw") mount.read_only = false;
    else if (option === "z" || option === "Z") {
      if (mount.bind) mount.bind.selinux = option;
    } else if (option === "nocopy") mount.volume = { ...mount.volume, nocopy: true };
    else if (PROPAGATIONS.has(option)) {
      if (mount.bind) mount.bind.propagation = option;
    } else if (CONSISTENCIES.has(option)) mount.consistency = option;
  }
  return mount;
}

function parseLongVolume(entry: Record<string, unknown>): VolumeMount | undefined {
  const type = entry.type === undefined ? "volume" : entry.type;
  if (typeof type !== "string" || !MOUNT_TYPES.has(type)) return undefined;
  if (typeof entry.target !== "string" || entry.target === "") return undefined;
  const mount: VolumeMount = {
    type: type as VolumeMount["type"],
    target: entry.target,
    read_only: toBoolean(entry.read_only) ?? false,
  };
  if (typeof entry.source === "string" && entry.source !== "") mount.source = entry.source;
  if (typeof entry.consistency === "string") mount.consistency = entry.consistency;
  if (isMapping(entry.bind)) {
    const b = entry.bind;
    mount.bind = {};
    if (typeof b.propagation === "string") mount.bind.propagation = b.propagation;
    const create = toBoolean(b.create_host_path);
    if (create !== undefined) mount.bind.create_host_path = create;
    if (typeof b.selinux === "string") mount.bind.selinux = b.selinux;
  }
  if (isMapping(entry.volume)) {
    const v = entry.volume;
    mount.volume = {};
    const nocopy = toBoolean(v.nocopy);
    if (nocopy !== undefined) mount.volume.nocopy = nocopy;
    if (typeof v.subpath === "string") mount.volume.subpath = v.subpath;
  }
  if (isMapping(entry.tmpfs)) {
    const t = entry.tmpfs;
    mount.tmpfs = {};
    const size = parseByteSize(t.size);
    if (size !== undefined) mount.tmpfs.size = size;
    const mode = toMode(t.mode);
    if (mode !== undefined) mount.tmpfs.mode = mode;
  }
  return mount;
}

/**
 * Short volume entries already read: lint and convert read each entry some
 * six times (consistency, references, pod rules, hoisting, components).
 * Callers get a copy, which they may change.
 */
const shortVolumes = new Map<string, VolumeMount | undefined>();
const SHORT_VOLUMES_MAX = 1 << 12;

function readShortVolume(spec: string): VolumeMount | undefined {
  let mount = shortVolumes.get(spec);
  if (mount === undefined && !shortVolumes.has(spec)) {
    mount = parseShortVolume(spec);
    if (shortVolumes.size < SHORT_VOLUMES_MAX) shortVolumes.set(spec, mount);
  }
  return mount && copyMount(mount);
}

function copyMount(mount: VolumeMount): VolumeMount {
  const copy = { ...mount };
  if (mount.bind) copy.bind = { ...mount.bind };
  if (mount.volume) copy.volume = { ...mount.volume };
  if (mount.tmpfs) copy.tmpfs = { ...mount.tmpfs };
  return copy;
}

export function normalizeVolumes(value: unknown): VolumeMount[] {
  if (!Array.isArray(value)) return [];
  const out: VolumeMount[] = [];
  for (const entry of value) {
    const mount = typeof entry === "string" ? readShortVolume(entry) : isMapping(entry) ? parseLongVolume(entry) : undefined;
    if (mount) out.push(mount);
  }
  return out;
}

// ---------------------------------------------------------------- key/value lists

/** `KEY=value` list items or a mapping, as one mapping; a key without a value gets `bare`. */
function keyValues<T>(value: unknown, bare: T): Record<string, string | T> {
  const out: Record<string, string | T> = {};
  if (Array.isArray(value)) {
    for (const entry of value) {
      const text = scalarText(entry);
      if (text === undefined || text === "") continue;
      const eq = text.indexOf("=");
      if (eq < 0) setOwn(out, text, bare);
      else if (eq > 0) setOwn(out, text.slice(0, eq), text.slice(eq + 1));
    }
  } else if (isMapping(value)) {
    for (const [key, v] of Object.entries(value)) {
      if (v === null || v === undefined) setOwn(out, key, bare);
      else {
        const text = scalarText(v);
        if (text !== undefined) setOwn(out, key, text);
      }
    }
  }
  return out;
}

export function normalizeEnvironment(value: unknown): Record<string, string | null> {
  return keyValues(value, null);
}

export function normalizeLabels(value: unknown): Record<string, string> {
  return keyValues(value, "");
}

// ---------------------------------------------------------------- depends_on

export interface DependsOn {
  condition: "service_started" | "service_healthy" | "service_completed_successfully";
  required: boolean;
  restart: boolean;
}

const CONDITIONS = new Set(["service_started", "service_healthy", "service_completed_successfully"]);

export function normalizeDependsOn(value: unknown): Record<string, DependsOn> {
  const out: Record<string, DependsOn> = {};
  if (Array.isArray(value)) {
    for (const name of value) if (typeof name === "string" && name !== "") setOwn(out, name, { condition: "service_started", required: true, restart: false });
  } else if (isMapping(value)) {
    for (const [name, spec] of Object.entries(value)) {
      const s = isMapping(spec) ? spec : {};
      const condition = typeof s.condition === "string" && CONDITIONS.has(s.condition) ? (s.condition as DependsOn["condition"]) : "service_started";
      setOwn(out, name, { condition, required: toBoolean(s.required) ?? true, restart: toBoolean(s.restart) ?? false });
    }
  }
  return out;
}

// ---------------------------------------------------------------- configs and secrets of a service

export interface FileReference {
  source: string;
  target?: string;
  uid?: string;
  gid?: string;
  mode?: number;
}

export function normalizeFileReferences(value: unknown): FileReference[] {
  if (!Array.isArray(value)) return [];
  const out: FileReference[] = [];
  for (const entry of value) {
    if (typeof entry === "string" && entry !== "") out.push({ source: entry });
    else if (isMapping(entry) && typeof entry.source === "string" && entry.source !== "") {
      const ref: FileReference = { source: entry.source };
      if (typeof entry.target === "string" && entry.target !== "") ref.target = entry.target;
      const uid = scalarText(entry.uid);
      if (uid !== undefined) ref.uid = uid;
      const gid = scalarText(entry.gid);
      if (gid !== undefined) ref.gid = gid;
      const mode = toMode(entry.mode);
      if (mode !== undefined) ref.mode = mode;
      out.push(ref);
    }
  }
  return out;
}

// ---------------------------------------------------------------- command lines and plain lists

/** Splits a command line as a POSIX shell would (and as Compose does): quotes and backslashes honoured, no expansion. */
export function splitShellWords(text: string): string[] | undefined {
  const words: string[] = [];
  let word = "";
  let inWord = false;
  let quote: "'" | '"' | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quote === "'") {
      if (c === "'") quote = undefined;
      else word += c;
    } else if (quote === '"') {
      if (c === '"') quote = undefined;
      else if (c === "\\" && i + 1 < text.length && '\\"$`\n'.includes(text[i + 1]!)) {
        i++;
        if (text[i] !== "\n") word += text[i];
      } else word += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      inWord = true;
    } else if (c === "\\") {
      if (i + 1 < text.length) {
        i++;
        if (text[i] !== "\n") word += text[i];
      }
      inWord = true;
    } else if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = "";
      inWord = false;
    } else {
      word += c;
      inWord = true;
    }
  }
  if (quote) return undefined;
  if (inWord) words.push(word);
  return words;
}

export function normalizeCommand(value: unknown): string[] | undefined {
  if (typeof value === "string") return splitShellWords(value) ?? value.split(/\s+/).filter(Boolean);
  if (Array.isArray(value)) return value.map((v) => scalarText(v)).filter((v): v is string => v !== undefined);
  return undefined;
}

export function normalizeStringList(value: unknown): string[] {
  const single = scalarText(value);
  if (single !== undefined) return [single];
  if (Array.isArray(value)) return value.map((v) => scalarText(v)).filter((v): v is string => v !== undefined);
  return [];
}

export function normalizeExtraHosts(value: unknown): string[] {
  const out: string[] = [];
  if (Array.isArray(value)) {
    for (const entry of value) {
      const text = scalarText(entry);
      if (text === undefined || text === "") continue;
      const eq = text.indexOf("=");
      // "host=ip" is the newer spelling; "host:ip" splits at the first colon (IPv6 addresses keep theirs)
      if (eq > 0) out.push(`${text.slice(0, eq)}:${text.slice(eq + 1)}`);
      else if (text.indexOf(":") > 0) out.push(text);
    }
  } else if (isMapping(value)) {
    for (const [host, ip] of Object.entries(value)) {
      for (const address of Array.isArray(ip) ? ip : [ip]) {
        const text = scalarText(address);
        if (text !== undefined && text !== "") out.push(`${host}:${text}`);
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------- durations and sizes

const DURATION_UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, "µs": 1e-3, "μs": 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** A Go duration ("1m30s", "500ms", "2us") in milliseconds; a number is read as seconds. */
export function parseDuration(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) ? value * 1000 : undefined;
  if (typeof value !== "string") return undefined;
  let text = value.trim();
  let sign = 1;
  if (text.startsWith("-") || text.startsWith("+")) {
    if (text[0] === "-") sign = -1;
    text = text.slice(1);
  }
  if (text === "0") return 0;
  if (text === "") return undefined;
  const part = /(\d+(?:\.\d*)?|\.\d+)(ns|us|\u00b5s|\u03bcs|ms|s|m|h)/y;
  let total = 0;
  let pos = 0;
  while (pos < text.length) {
    part.lastIndex = pos;
    const m = part.exec(text);
    if (!m) return undefined;
    total += Number(m[1]) * DURATION_UNITS[m[2]!]!;
    pos = part.lastIndex;
  }
  return sign * total;
}

const SIZE_UNITS: Record<string, number> = { "": 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4, p: 1024 ** 5 };

/** A size as Docker reads it ("512m", "1g", "1.5gb", "100k"; powers of 1024) in bytes; numbers are bytes. */
export function parseByteSize(value: unknown): number | undefined {
  if (typeof value === "number") return Number.isFinite(value) && value >= 0 ? Math.floor(value) : undefined;
  if (typeof value !== "string") return undefined;
  const m = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*([kmgtp]?)(?:i?b)?\s*$/i.exec(value);
  if (!m) return undefined;
  return Math.floor(Number(m[1]) * SIZE_UNITS[m[2]!.toLowerCase()]!);
}

// ---------------------------------------------------------------- env_file

export function normalizeEnvFiles(value: unknown): { path: string; required: boolean; format?: string }[] {
  const entries = typeof value === "string" ? [value] : Array.isArray(value) ? value : [];
  const out: { path: string; required: boolean; format?: string }[] = [];
  for (const entry of entries) {
    if (typeof entry === "string" && entry !== "") out.push({ path: entry, required: true });
    else if (isMapping(entry) && typeof entry.path === "string" && entry.path !== "") {
      const file: { path: string; required: boolean; format?: string } = { path: entry.path, required: toBoolean(entry.required) ?? true };
      if (typeof entry.format === "string") file.format = entry.format;
      out.push(file);
    }
  }
  return out;
}
