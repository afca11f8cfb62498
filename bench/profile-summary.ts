// Reads a V8 .cpuprofile and sums self time by function+file and by component (Prisma, PGlite, Bolt, pino, …).
// Also a CLI: `node --import tsx bench/profile-summary.ts <file.cpuprofile>` summarizes a whole profile.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { table } from "./stats.js";

export interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number; children?: number[] }>;
  /** Microseconds, on the profiled process's own monotonic clock. */
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface SelfTime {
  function: string;
  /** Where it lives: a path inside the repository or node_modules, `node:…`, or empty for V8 internals. */
  file: string;
  line: number;
  component: string;
  ms: number;
  /** Share of the non-idle time in the window. */
  share: number;
}

export interface ProfileSummary {
  /** Sampled wall time in the window, and how much of it the process was busy (not idle). */
  windowMs: number;
  busyMs: number;
  functions: SelfTime[];
  components: Array<{ component: string; ms: number; share: number }>;
}

const ROOT = fileURLToPath(new URL("..", import.meta.url));

/** Which part of the stack a frame belongs to; order matters (first match wins). */
const COMPONENTS: Array<[RegExp, string]> = [
  [/^\(garbage collector\)$/, "GC"],
  [/^\(program\)$/, "V8/native (unattributed)"],
  [/pglite-prisma-adapter|@electric-sql\/pglite/, "PGlite"],
  [/@prisma\/|\/src\/generated\/|\/prisma\//, "Prisma"],
  [/\/node_modules\/(pg|pg-protocol|pg-pool|pg-types)\//, "pg driver"],
  [/@slack\/bolt/, "Bolt"],
  [/@slack\/web-api|\/axios\/|\/form-data\//, "Slack Web API client"],
  [/\/(pino|pino-std-serializers|sonic-boom|thread-stream|fast-redact|@pinojs\/redact)\//, "pino"],
  [/\/zod\//, "zod"],
  [/\/(p-queue|eventemitter3|p-timeout)\//, "p-queue"],
  [/\/cockatiel\//, "cockatiel"],
  [/\/prom-client\//, "prom-client"],
  [/\/(tsx|esbuild|get-tsconfig)\//, "tsx loader"],
  [/undici|^node:internal\/deps\/undici/, "undici (fetch)"],
  [/^node:internal\/crypto|^node:crypto/, "crypto"],
  [/^node:(_http|http|https|net|internal\/http|internal\/net|internal\/stream_base|internal\/js_stream)/, "Node http/net (sockets)"],
  [/^node:(stream|internal\/streams|string_decoder|buffer|internal\/buffer)/, "Node streams/buffers"],
  [/^node:(fs|internal\/fs)/, "Node fs (file I/O)"],
  [/^node:internal\/(modules|vm)/, "Node module loader"],
  [/^node:(internal\/worker|worker_threads)/, "Node worker messaging"],
  [/^node:/, "Node (other)"],
  [/\/src\//, "Piper (src/)"],
  [/\/bench\//, "bench"],
];

/** The component of a frame judged by its own url alone; undefined for V8 builtins and WebAssembly, which take their caller's. */
export function componentOf(functionName: string, url: string): string | undefined {
  if (url === "") {
    if (/^JSON\.|^(parse|stringify)$/.test(functionName)) return "JSON";
    if (/^\((garbage collector|program|idle|root)\)$/.test(functionName)) return COMPONENTS.find(([re]) => re.test(functionName))?.[1] ?? "V8/native (unattributed)";
    return undefined;
  }
  if (url.startsWith("wasm://")) return undefined;
  for (const [re, name] of COMPONENTS) if (re.test(url)) return name;
  const pkg = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  return pkg ? pkg[1]! : "other";
}

function shortFile(url: string): string {
  let file = url.replace(/^file:\/\//, "");
  if (file.startsWith(ROOT)) file = file.slice(ROOT.length);
  const nm = file.lastIndexOf("node_modules/");
  return nm >= 0 ? file.slice(nm + "node_modules/".length) : file;
}

/**
 * V8 builtins take the component of the nearest caller with a url (JSON.parse and friends excepted),
 * WebAssembly that of its JS caller with " (WASM)" appended: PGlite's Postgres and Prisma's query
 * compiler are both WebAssembly, and only the caller tells them apart.
 */
function frameComponents(profile: CpuProfile): (id: number) => string {
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const memo = new Map<number, string>();
  const inherited = (id: number | undefined): string | undefined => {
    for (; id !== undefined; id = parent.get(id)) {
      const { functionName, url } = nodes.get(id)!.callFrame;
      const own = url === "" && /^\(root\)$/.test(functionName) ? undefined : componentOf(functionName, url);
      if (own) return own;
    }
    return undefined;
  };
  return (id) => {
    const cached = memo.get(id);
    if (cached) return cached;
    const { functionName, url } = nodes.get(id)!.callFrame;
    const own = componentOf(functionName, url);
    const caller = own ? undefined : inherited(parent.get(id));
    const result = own ?? (url.startsWith("wasm://") ? `${caller ?? "unknown"} (WASM)` : (caller ?? "V8 builtins"));
    memo.set(id, result);
    return result;
  };
}

/**
 * Self time per function+file over samples taken in [fromMs, toMs) after the profile started
 * (whole profile when omitted). A sample's time is the gap to the next sample, as DevTools counts it.
 */
export function summarizeProfile(profile: CpuProfile, window: { fromMs?: number; toMs?: number } = {}): ProfileSummary {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const component = frameComponents(profile);
  const from = profile.startTime + (window.fromMs ?? 0) * 1000;
  const to = window.toMs === undefined ? Number.POSITIVE_INFINITY : profile.startTime + window.toMs * 1000;
  const byFunction = new Map<string, { function: string; file: string; line: number; component: string; us: number }>();
  let t = profile.startTime;
  let windowUs = 0;
  let idleUs = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    t += profile.timeDeltas[i] ?? 0;
    if (t < from || t >= to) continue;
    const us = Math.max(0, profile.timeDeltas[i + 1] ?? 0);
    const node = nodes.get(profile.samples[i]!);
    if (!node) continue;
    windowUs += us;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === "(idle)") {
      idleUs += us;
      continue;
    }
    const key = `${functionName}\u0000${url}`;
    const entry = byFunction.get(key) ?? { function: functionName || "(anonymous)", file: shortFile(url), line: lineNumber + 1, component: component(node.id), us: 0 };
    entry.us += us;
    byFunction.set(key, entry);
  }
  const busyUs = windowUs - idleUs;
  const functions = [...byFunction.values()]
    .map((e) => ({ function: e.function, file: e.file, line: e.line, component: e.component, ms: e.us / 1000, share: busyUs > 0 ? e.us / busyUs : 0 }))
    .sort((a, b) => b.ms - a.ms);
  const components = new Map<string, number>();
  for (const f of functions) components.set(f.component, (components.get(f.component) ?? 0) + f.ms);
  return {
    windowMs: windowUs / 1000,
    busyMs: busyUs / 1000,
    functions,
    components: [...components.entries()].map(([component, ms]) => ({ component, ms, share: busyUs > 0 ? (ms * 1000) / busyUs : 0 })).sort((a, b) => b.ms - a.ms),
  };
}

export function renderProfileSummary(s: ProfileSummary, top = 15): string {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  const major = s.components.filter((c) => c.share >= 0.005);
  const minor = s.components.filter((c) => c.share < 0.005);
  return [
    `Sampled ${(s.windowMs / 1000).toFixed(1)} s; busy ${(s.busyMs / 1000).toFixed(1)} s (${pct(s.windowMs > 0 ? s.busyMs / s.windowMs : 0)}). Shares below are of busy time.`,
    "",
    `Top ${top} functions by self time (aggregated by function + file)`,
    table(
      ["#", "self ms", "share", "function", "where", "component"],
      s.functions.slice(0, top).map((f, i) => [i + 1, Math.round(f.ms), pct(f.share), f.function, f.file ? `${f.file}:${f.line}` : "(V8)", f.component]),
    ),
    "",
    "Self time by component (builtins count for their caller; below 0.5% lumped together)",
    table(["component", "self ms", "share"], [
      ...major.map((c) => [c.component, Math.round(c.ms), pct(c.share)]),
      ...(minor.length ? [[`${minor.length} others`, Math.round(minor.reduce((a, c) => a + c.ms, 0)), pct(minor.reduce((a, c) => a + c.share, 0))]] : []),
    ]),
  ].join("\n");
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [file, top = "15"] = process.argv.slice(2);
  if (!file || !(Number(top) > 0)) {
    process.stderr.write("usage: node --import tsx bench/profile-summary.ts <file.cpuprofile> [top]\n");
    process.exit(1);
  }
  const profile = JSON.parse(readFileSync(file, "utf8")) as CpuProfile;
  process.stdout.write(`${renderProfileSummary(summarizeProfile(profile), Number(top))}\n`);
}
