/**
 * Benchmark baseline: a plain cdktf TypeScript app that synthesizes the same resources as
 * mlops-iac for the same estate.
 *
 * Input: estate.json, written by benchmarks/scale/ts_input.py from an mlops-iac synth of the same
 * estate. Per stack it names the provider, backend, remote states, outputs and, per resource, the
 * typed L1 class (module + class of the pinned provider package) and its props in the class's own
 * camelCase shape. This app does what a hand-written cdktf TypeScript app does with literal
 * props: `new Job(scope, id, {...})` for every resource, then `app.synth()`. It validates nothing
 * and runs no guardrails: it is the cost of cdktf itself.
 *
 * Usage: node dist/main.js <estate.json> <outdir> [<timings.json>]
 */
import * as fs from "fs";
import { performance } from "perf_hooks";
import {
  App,
  AzurermBackend,
  DataTerraformRemoteStateAzurerm,
  DataTerraformRemoteStateLocal,
  LocalBackend,
  TerraformOutput,
  TerraformResource,
  TerraformStack,
} from "cdktf";
import { Construct } from "constructs";

interface ClassRef {
  module: string; // e.g. "@cdktf/provider-databricks/lib/job"
  className: string; // e.g. "Job"
}

interface ResourceSpec extends ClassRef {
  path: string[]; // construct path below the stack, the last element is the resource's id
  props: Record<string, unknown>;
  dependsOn?: string[];
}

interface StackSpec {
  id: string;
  dependsOn: string[];
  providers: (ClassRef & { props: Record<string, unknown> })[];
  backend?: { type: string; config: Record<string, unknown> };
  remoteStates: { id: string; backend: string; config: Record<string, unknown> }[];
  outputs: { id: string; value: unknown; sensitive?: boolean }[];
  resources: ResourceSpec[];
}

type Constructor = new (scope: Construct, id: string, props: unknown) => TerraformResource;

const classes = new Map<string, Constructor>();

function classOf(ref: ClassRef): Constructor {
  const key = `${ref.module}#${ref.className}`;
  let cls = classes.get(key);
  if (cls === undefined) {
    // The deep import a hand-written app uses: one submodule of the provider package per type.
    cls = require(ref.module)[ref.className] as Constructor;
    if (cls === undefined) throw new Error(`no class ${ref.className} in ${ref.module}`);
    classes.set(key, cls);
  }
  return cls;
}

function scopeFor(stack: TerraformStack, path: string[], scopes: Map<string, Construct>): Construct {
  let scope: Construct = stack;
  for (let i = 0; i < path.length - 1; i++) {
    const key = path.slice(0, i + 1).join("/");
    let next = scopes.get(key);
    if (next === undefined) {
      next = new Construct(scope, path[i]);
      scopes.set(key, next);
    }
    scope = next;
  }
  return scope;
}

function addBackend(stack: TerraformStack, spec: StackSpec): void {
  if (!spec.backend) return;
  // The backend classes convert their config keys to snake_case themselves; ours already are.
  const config = spec.backend.config as any;
  if (spec.backend.type === "local") new LocalBackend(stack, config);
  else if (spec.backend.type === "azurerm") new AzurermBackend(stack, config);
  else throw new Error(`backend ${spec.backend.type} not supported by the baseline`);
}

function addRemoteStates(stack: TerraformStack, spec: StackSpec): void {
  for (const remote of spec.remoteStates) {
    const config = remote.config as any;
    if (remote.backend === "local") new DataTerraformRemoteStateLocal(stack, remote.id, config);
    else if (remote.backend === "azurerm") new DataTerraformRemoteStateAzurerm(stack, remote.id, config);
    else throw new Error(`remote state backend ${remote.backend} not supported by the baseline`);
  }
}

function buildStack(app: App, spec: StackSpec, stacks: Map<string, TerraformStack>): void {
  const stack = new TerraformStack(app, spec.id);
  stacks.set(spec.id, stack);
  for (const dependency of spec.dependsOn) {
    const other = stacks.get(dependency);
    if (other) stack.addDependency(other);
  }
  addBackend(stack, spec);
  for (const provider of spec.providers) {
    const Provider = classOf(provider);
    new Provider(stack, provider.className, provider.props);
  }
  addRemoteStates(stack, spec);
  const scopes = new Map<string, Construct>();
  for (const resource of spec.resources) {
    const Resource = classOf(resource);
    const id = resource.path[resource.path.length - 1];
    const created = new Resource(scopeFor(stack, resource.path, scopes), id, resource.props);
    if (resource.dependsOn) created.dependsOn = resource.dependsOn;
  }
  for (const output of spec.outputs) {
    new TerraformOutput(stack, output.id, { value: output.value, sensitive: output.sensitive });
  }
}

/** This process's peak RSS in KiB: VmHWM of its own memory map (getrusage's maxrss would include
 * the peak of the benchmark process that forked it). */
function peakRssKib(): number {
  try {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(fs.readFileSync("/proc/self/status", "utf8"));
    if (match) return Number(match[1]);
  } catch {
    // not Linux: fall through
  }
  return process.resourceUsage().maxRSS;
}

function main(): void {
  const [estatePath, outdir, timingsPath] = process.argv.slice(2);
  if (!estatePath || !outdir) throw new Error("usage: node dist/main.js <estate.json> <outdir> [<timings.json>]");
  const timings: Record<string, number> = { startup_and_import: performance.now() / 1000 };
  let mark = performance.now();
  const estate = JSON.parse(fs.readFileSync(estatePath, "utf8")) as { stacks: StackSpec[] };
  timings.read_input = (performance.now() - mark) / 1000;

  mark = performance.now();
  const app = new App({ outdir, stackTraces: false });
  const stacks = new Map<string, TerraformStack>();
  for (const spec of estate.stacks) buildStack(app, spec, stacks);
  timings.construct = (performance.now() - mark) / 1000; // includes the provider submodule loads

  mark = performance.now();
  app.synth();
  timings.synth = (performance.now() - mark) / 1000;
  timings.total = performance.now() / 1000;
  if (timingsPath) fs.writeFileSync(timingsPath, JSON.stringify({ seconds: timings, peak_rss_kib: peakRssKib() }) + "\n");
}

main();
