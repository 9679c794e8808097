// Checks the Kubernetes manifests of docker/k8s without a cluster (run by docker/validate.sh, from
// a folder where kubernetes-models, typescript and yaml are installed):
//
//   node k8s-check.mjs DIR EXPECTED_PORT
//
// 1. schema: every object validated against the Kubernetes OpenAPI schema (kubernetes-models'
//    generated validators: types, formats, required fields, enums);
// 2. strict: no unknown field anywhere (the OpenAPI schema allows any extra key, so each object is
//    also type-checked by TypeScript against kubernetes-models' interfaces, whose excess-property
//    check catches a misspelt `readinesProbe` like kubeconform -strict would);
// 3. policy: what ServeNet's deployment needs (probes on the health endpoints, resources, non-root,
//    read-only root filesystem, Service/HPA/PDB wired to the Deployment, kustomization complete).
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";

const [dir, expectedPortArg] = process.argv.slice(2);
if (!dir) {
  console.error("usage: node k8s-check.mjs DIR [EXPECTED_PORT]");
  process.exit(2);
}
const expectedPort = Number(expectedPortArg ?? 8080);
const here = dirname(fileURLToPath(import.meta.url));
let failures = 0;
const ok = (msg) => console.log(`  ok    ${msg}`);
const fail = (msg) => { failures++; console.log(`  FAIL  ${msg}`); };
const check = (cond, msg, why = "") => (cond ? ok(msg) : fail(why ? `${msg}: ${why}` : msg));

// ---- load: the kustomization's resources, which must be every manifest of the folder ----
const kustomization = parseAllDocuments(readFileSync(join(dir, "kustomization.yaml"), "utf8"))[0].toJS();
const listed = kustomization.resources ?? [];
const present = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f) && f !== "kustomization.yaml").sort();
check(JSON.stringify([...listed].sort()) === JSON.stringify(present), "kustomization lists every manifest",
  `lists ${listed.join(", ")}; folder has ${present.join(", ")}`);

const objects = [];
for (const file of present) {
  const docs = parseAllDocuments(readFileSync(join(dir, file), "utf8"));
  docs.forEach((doc, i) => {
    if (doc.errors.length) { fail(`${file}: YAML error ${doc.errors[0].message}`); return; }
    const obj = doc.toJS();
    if (obj) objects.push({ file, index: i, obj });
  });
}

const modulePath = ({ apiVersion, kind }) => {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : [null, apiVersion];
  return group ? `kubernetes-models/${group}/${version}/${kind}` : `kubernetes-models/${version}/${kind}`;
};

// ---- 1. schema ----
console.log("schema (Kubernetes OpenAPI, kubernetes-models):");
for (const { file, obj } of objects) {
  const name = `${file}: ${obj.kind}/${obj.metadata?.name}`;
  let Model;
  try {
    Model = (await import(modulePath(obj)))[obj.kind];
  } catch {
    fail(`${name}: unknown apiVersion/kind ${obj.apiVersion} ${obj.kind}`);
    continue;
  }
  try {
    new Model(obj).validate();
    ok(name);
  } catch (e) {
    fail(`${name}: ${e.message}`);
  }
}

// ---- 2. strict: unknown fields, by TypeScript's excess-property check ----
console.log("strict (no unknown fields, TypeScript against kubernetes-models' interfaces):");
const tmp = mkdtempSync(join(here, ".k8s-check-"));
try {
  const lines = [];
  const origin = []; // ts line -> manifest
  objects.forEach(({ file, obj }, i) => {
    const type = `I${obj.kind}`;
    lines.push(`import type { ${type} as T${i} } from "${modulePath(obj)}";`);
    origin.push(`${file}`);
  });
  objects.forEach(({ file, obj }, i) => {
    const body = `export const m${i}: T${i} = ${JSON.stringify(obj, null, 2)};`.split("\n");
    for (const l of body) { lines.push(l); origin.push(`${file}: ${obj.kind}/${obj.metadata?.name}`); }
  });
  writeFileSync(join(tmp, "manifests.ts"), lines.join("\n") + "\n");
  let output = "";
  try {
    execFileSync(process.execPath, [join(here, "node_modules/typescript/bin/tsc"), "--noEmit", "--strict",
      "--skipLibCheck", "--module", "nodenext", "--moduleResolution", "nodenext", "--target", "es2022",
      join(tmp, "manifests.ts")], { cwd: here, encoding: "utf8", stdio: "pipe" });
  } catch (e) {
    output = `${e.stdout ?? ""}${e.stderr ?? ""}`;
  }
  if (!output.trim()) {
    ok(`${objects.length} objects: every field is known`);
  } else {
    for (const m of output.matchAll(/manifests\.ts\((\d+),\d+\): error TS\d+: ([^\n]+)/g)) {
      const line = Number(m[1]);
      fail(`${origin[line - 1] ?? "?"}: ${m[2]} (near: ${lines[line - 1]?.trim()})`);
    }
    if (!/manifests\.ts\(/.test(output)) fail(`tsc failed: ${output.slice(0, 500)}`);
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

// ---- 3. policy ----
console.log("policy (ServeNet's deployment requirements):");
const find = (kind) => objects.filter((o) => o.obj.kind === kind).map((o) => o.obj);
const [deployment] = find("Deployment");
const [service] = find("Service");
const [hpa] = find("HorizontalPodAutoscaler");
const pdbs = find("PodDisruptionBudget");
const cpuMillis = (q) => (q == null ? NaN : String(q).endsWith("m") ? parseFloat(q) : parseFloat(q) * 1000);
const bytes = (q) => {
  const m = /^([0-9.]+)(Ki|Mi|Gi|Ti|k|M|G|T)?$/.exec(String(q ?? ""));
  if (!m) return NaN;
  const unit = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, k: 1e3, M: 1e6, G: 1e9, T: 1e12 }[m[2]] ?? 1;
  return parseFloat(m[1]) * unit;
};
const subset = (a = {}, b = {}) => Object.entries(a).every(([k, v]) => b[k] === v);

if (!deployment) {
  fail("a Deployment exists");
} else {
  const spec = deployment.spec ?? {};
  const pod = spec.template?.spec ?? {};
  const podLabels = spec.template?.metadata?.labels ?? {};
  const [c] = pod.containers ?? [];
  check((spec.replicas ?? 1) >= 2, `Deployment replicas ${spec.replicas} (at least 2)`);
  check(Object.keys(spec.selector?.matchLabels ?? {}).length > 0 && subset(spec.selector.matchLabels, podLabels),
    "Deployment selector matches its pod labels");
  check(spec.strategy?.rollingUpdate?.maxUnavailable === 0, "rolling update keeps every pod until its successor is ready (maxUnavailable 0)");
  check(Boolean(c?.image), "container has an image");
  const ports = c?.ports ?? [];
  const http = ports.find((p) => p.containerPort === expectedPort);
  check(Boolean(http), `container port ${expectedPort} (the image's ASPNETCORE_HTTP_PORTS)`);
  const portOk = (p) => ports.some((x) => x.name === p || x.containerPort === p);
  const r = c?.resources ?? {};
  check(["cpu", "memory"].every((k) => r.requests?.[k] != null && r.limits?.[k] != null), "CPU and memory requests and limits set");
  check(cpuMillis(r.requests?.cpu) <= cpuMillis(r.limits?.cpu) && bytes(r.requests?.memory) <= bytes(r.limits?.memory),
    "requests do not exceed limits", JSON.stringify(r));
  const rp = c?.readinessProbe?.httpGet;
  check(rp?.path === "/health/ready" && portOk(rp.port), "readiness probe: GET /health/ready on the container port", JSON.stringify(rp));
  const lp = c?.livenessProbe?.httpGet;
  check(lp?.path === "/health/live" && portOk(lp.port), "liveness probe: GET /health/live on the container port", JSON.stringify(lp));
  const psc = pod.securityContext ?? {};
  const csc = c?.securityContext ?? {};
  const runAsUser = csc.runAsUser ?? psc.runAsUser;
  check((csc.runAsNonRoot ?? psc.runAsNonRoot) === true && runAsUser !== 0, "runs as non-root (runAsNonRoot, non-zero runAsUser)");
  check(runAsUser === 1654, "runAsUser 1654, the image's app user");
  check(csc.readOnlyRootFilesystem === true, "read-only root filesystem");
  check(csc.allowPrivilegeEscalation === false, "no privilege escalation");
  check((csc.capabilities?.drop ?? []).includes("ALL"), "all capabilities dropped");
  check((psc.seccompProfile?.type ?? csc.seccompProfile?.type) === "RuntimeDefault", "seccomp RuntimeDefault");
  const tmpMount = (c?.volumeMounts ?? []).find((m) => m.mountPath === "/tmp");
  const tmpVolume = (pod.volumes ?? []).find((v) => v.name === tmpMount?.name);
  check(Boolean(tmpVolume?.emptyDir), "writable /tmp from an emptyDir");
  check(pod.automountServiceAccountToken === false, "no service-account token mounted (the API never calls Kubernetes)");
  const secretEnv = (c?.env ?? []).filter((e) => /key|secret|password|token/i.test(e.name) && e.value != null && e.value !== "");
  check(secretEnv.length === 0, "no secret values inline (from a Secret instead)", secretEnv.map((e) => e.name).join(", "));

  if (!service) fail("a Service exists");
  else {
    check(subset(service.spec?.selector, podLabels) && Object.keys(service.spec?.selector ?? {}).length > 0,
      "Service selects the Deployment's pods");
    check((service.spec?.ports ?? []).every((p) => portOk(p.targetPort)), "Service targetPort is a container port");
  }
  if (!hpa) fail("a HorizontalPodAutoscaler exists");
  else {
    const ref = hpa.spec?.scaleTargetRef ?? {};
    check(ref.kind === "Deployment" && ref.name === deployment.metadata?.name && ref.apiVersion === "apps/v1",
      "HPA scales the Deployment");
    const cpu = (hpa.spec?.metrics ?? []).find((m) => m.type === "Resource" && m.resource?.name === "cpu");
    check(cpu?.resource?.target?.type === "Utilization" && cpu.resource.target.averageUtilization > 0,
      `HPA on CPU utilisation (${cpu?.resource?.target?.averageUtilization} % of the request)`);
    check((hpa.spec?.minReplicas ?? 1) >= 2 && hpa.spec.minReplicas <= hpa.spec.maxReplicas,
      `HPA range ${hpa.spec?.minReplicas}..${hpa.spec?.maxReplicas}`);
    for (const pdb of pdbs) {
      check(subset(pdb.spec?.selector?.matchLabels, podLabels), "PodDisruptionBudget selects the Deployment's pods");
      check(typeof pdb.spec?.minAvailable !== "number" || pdb.spec.minAvailable < hpa.spec.minReplicas,
        "PodDisruptionBudget leaves room to drain a node (minAvailable < minReplicas)");
    }
  }
}

console.log(failures === 0 ? `k8s-check: all checks passed (${objects.length} objects)` : `k8s-check: ${failures} check(s) failed`);
process.exit(failures === 0 ? 0 : 1);
