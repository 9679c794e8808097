// Checks the KServe InferenceService of docker/k8s/kserve without a cluster (run by docker/validate.sh, from a
// folder where kubernetes-models, typescript and yaml are installed, like k8s-check.mjs):
//
//   node kserve-check.mjs DIR EXPECTED_PORT
//
// KServe's CRD is not in kubernetes-models, so the InferenceService is checked in three parts:
// 1. schema: its predictor is a Kubernetes PodSpec inline (KServe's PredictorSpec embeds one) plus KServe's
//    component fields; the PodSpec part is validated as a Pod against the Kubernetes OpenAPI schema
//    (kubernetes-models), the component fields by type;
// 2. strict: no unknown field anywhere, by TypeScript's excess-property check against kubernetes-models'
//    IObjectMeta and IPodSpec and the KServe v1beta1 fields written out below;
// 3. policy: what ServeNet needs as a custom runtime (the container KServe serves, the image's port, the
//    Open Inference Protocol's probes, resources, non-root, read-only root filesystem, no inline secrets).
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";

const [dir, expectedPortArg] = process.argv.slice(2);
if (!dir) {
  console.error("usage: node kserve-check.mjs DIR [EXPECTED_PORT]");
  process.exit(2);
}
const expectedPort = Number(expectedPortArg ?? 8080);
const here = dirname(fileURLToPath(import.meta.url));
let failures = 0;
const ok = (msg) => console.log(`  ok    ${msg}`);
const fail = (msg) => { failures++; console.log(`  FAIL  ${msg}`); };
const check = (cond, msg, why = "") => (cond ? ok(msg) : fail(why ? `${msg}: ${why}` : msg));

// KServe v1beta1 ComponentExtensionSpec and PredictorSpec fields besides the inline PodSpec.
const componentFields = {
  minReplicas: "number", maxReplicas: "number", scaleTarget: "number", scaleMetric: "string", containerConcurrency: "number",
  timeout: "number", canaryTrafficPercent: "number", labels: "object", annotations: "object", deploymentStrategy: "object",
  logger: "object", batcher: "object", autoScaling: "object", workerSpec: "object",
};
const runtimeFields = ["model", "sklearn", "xgboost", "tensorflow", "pytorch", "triton", "onnx", "huggingface", "pmml", "lightgbm", "paddle"];

const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort();
const services = [];
for (const file of files) {
  for (const doc of parseAllDocuments(readFileSync(join(dir, file), "utf8"))) {
    if (doc.errors.length) { fail(`${file}: YAML error ${doc.errors[0].message}`); continue; }
    const obj = doc.toJS();
    if (obj) services.push({ file, obj });
  }
}
check(services.length === 1, `one manifest in ${dir}`, `found ${services.length}`);
const [{ file, obj: isvc } = {}] = services;
if (!isvc) process.exit(1);
const name = `${file}: ${isvc.kind}/${isvc.metadata?.name}`;
check(isvc.apiVersion === "serving.kserve.io/v1beta1" && isvc.kind === "InferenceService", `${name} is a serving.kserve.io/v1beta1 InferenceService`);
const specKeys = Object.keys(isvc.spec ?? {});
check(specKeys.length === 1 && specKeys[0] === "predictor", "spec has only a predictor (no transformer or explainer)", specKeys.join(", "));
const predictor = isvc.spec?.predictor ?? {};

// ---- 1. schema ----
console.log("schema (the predictor's PodSpec as a Pod against the Kubernetes OpenAPI schema; KServe's fields by type):");
const podSpec = Object.fromEntries(Object.entries(predictor).filter(([k]) => !(k in componentFields) && !runtimeFields.includes(k)));
const component = Object.fromEntries(Object.entries(predictor).filter(([k]) => k in componentFields));
try {
  const { Pod } = await import("kubernetes-models/v1/Pod");
  new Pod({ apiVersion: "v1", kind: "Pod", metadata: isvc.metadata, spec: podSpec }).validate();
  ok(`${name}: predictor PodSpec and metadata`);
} catch (e) {
  fail(`${name}: ${e.message}`);
}
for (const [key, value] of Object.entries(component))
  check(typeof value === componentFields[key] && (typeof value !== "number" || (Number.isInteger(value) && value >= 0)),
    `predictor.${key} is a ${componentFields[key]}`, JSON.stringify(value));
check(["cpu", "memory", "concurrency", "rps"].includes(predictor.scaleMetric ?? "cpu"), "predictor.scaleMetric is cpu, memory, concurrency or rps");
check(runtimeFields.every((k) => !(k in predictor)), "a custom container, not a built-in model runtime");

// ---- 2. strict ----
console.log("strict (no unknown fields, TypeScript against kubernetes-models' interfaces and KServe's fields):");
const tmp = mkdtempSync(join(here, ".kserve-check-"));
try {
  const componentType = Object.entries(componentFields)
    .map(([k, t]) => `${k}?: ${t === "object" ? "Record<string, unknown>" : t};`).join(" ");
  const source = [
    `import type { IObjectMeta } from "@kubernetes-models/apimachinery/apis/meta/v1/ObjectMeta";`,
    `import type { IPodSpec } from "kubernetes-models/v1/PodSpec";`,
    `type IPredictorSpec = IPodSpec & { ${componentType} };`,
    `interface IInferenceService { apiVersion: "serving.kserve.io/v1beta1"; kind: "InferenceService"; metadata: IObjectMeta; spec: { predictor: IPredictorSpec } }`,
    `export const isvc: IInferenceService = ${JSON.stringify(isvc, null, 2)};`,
  ];
  writeFileSync(join(tmp, "isvc.ts"), source.join("\n") + "\n");
  let output = "";
  try {
    execFileSync(process.execPath, [join(here, "node_modules/typescript/bin/tsc"), "--noEmit", "--strict", "--skipLibCheck",
      "--module", "nodenext", "--moduleResolution", "nodenext", "--target", "es2022", join(tmp, "isvc.ts")],
      { cwd: here, encoding: "utf8", stdio: "pipe" });
  } catch (e) {
    output = `${e.stdout ?? ""}${e.stderr ?? ""}`;
  }
  const lines = source.join("\n").split("\n");
  if (!output.trim()) ok(`${name}: every field is known`);
  else {
    for (const m of output.matchAll(/isvc\.ts\((\d+),\d+\): error TS\d+: ([^\n]+)/g))
      fail(`${name}: ${m[2]} (near: ${lines[Number(m[1]) - 1]?.trim()})`);
    if (!/isvc\.ts\(/.test(output)) fail(`tsc failed: ${output.slice(0, 500)}`);
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

// ---- 3. policy ----
console.log("policy (ServeNet as a KServe custom runtime):");
const containers = predictor.containers ?? [];
const [c] = containers;
check(containers.length === 1 && c?.name === "kserve-container", "one container, kserve-container (the one KServe serves)");
check(typeof c?.image === "string" && c.image.split(":")[0].endsWith("servenet-api"), "the ServeNet image (as docker/k8s/deployment.yaml)", c?.image);
const port = (c?.ports ?? []).find((p) => p.containerPort === expectedPort);
check(Boolean(port) && (c.ports.length === 1), `container port ${expectedPort} (the image's ASPNETCORE_HTTP_PORTS), and only it`);
const portOk = (p) => p === expectedPort || p === port?.name;
const rp = c?.readinessProbe?.httpGet;
check(rp?.path === "/v2/health/ready" && portOk(rp.port), "readiness probe: GET /v2/health/ready (the protocol's server readiness)", JSON.stringify(rp));
const lp = c?.livenessProbe?.httpGet;
check(lp?.path === "/v2/health/live" && portOk(lp.port), "liveness probe: GET /v2/health/live", JSON.stringify(lp));
const r = c?.resources ?? {};
check(["cpu", "memory"].every((k) => r.requests?.[k] != null && r.limits?.[k] != null), "CPU and memory requests and limits set");
check((predictor.minReplicas ?? 1) >= 2 && predictor.minReplicas <= (predictor.maxReplicas ?? Infinity), `replicas ${predictor.minReplicas}..${predictor.maxReplicas} (at least 2)`);
const psc = predictor.securityContext ?? {};
const csc = c?.securityContext ?? {};
check((csc.runAsNonRoot ?? psc.runAsNonRoot) === true && (csc.runAsUser ?? psc.runAsUser) === 1654, "runs as the image's non-root app user (1654)");
check(csc.readOnlyRootFilesystem === true && csc.allowPrivilegeEscalation === false && (csc.capabilities?.drop ?? []).includes("ALL"),
  "read-only root filesystem, no privilege escalation, all capabilities dropped");
const tmpMount = (c?.volumeMounts ?? []).find((m) => m.mountPath === "/tmp");
check(Boolean((predictor.volumes ?? []).find((v) => v.name === tmpMount?.name)?.emptyDir), "writable /tmp from an emptyDir");
check(predictor.automountServiceAccountToken === false, "no service-account token mounted");
const secretEnv = (c?.env ?? []).filter((e) => /key|secret|password|token/i.test(e.name) && e.value != null && e.value !== "");
check(secretEnv.length === 0, "no secret values inline (from a Secret instead)", secretEnv.map((e) => e.name).join(", "));
const mode = isvc.metadata?.annotations?.["serving.kserve.io/deploymentMode"];
check(mode === undefined || ["RawDeployment", "Serverless", "ModelMesh"].includes(mode), `deployment mode ${mode ?? "(cluster default)"}`);

console.log(failures === 0 ? "kserve-check: all checks passed" : `kserve-check: ${failures} check(s) failed`);
process.exit(failures === 0 ? 0 : 1);
