// Lists the Docker build context that .dockerignore leaves (with @balena/dockerignore, a port of
// Docker's own matcher) and checks it (run by docker/validate.sh from its tools folder):
//
//   node context-check.mjs REPO_ROOT
//
// - every source a context COPY of the Dockerfile names is in the context;
// - build outputs, corpora, embeddings, runs, test results and the git folder are not;
// - the context is small (prints its size).
import { readdirSync, readFileSync, statSync, existsSync } from "node:fs";
import { join, relative } from "node:path";
import dockerignore from "@balena/dockerignore";

const root = process.argv[2];
if (!root) { console.error("usage: node context-check.mjs REPO_ROOT"); process.exit(2); }
const ig = dockerignore().add(readFileSync(join(root, ".dockerignore"), "utf8"));

let failures = 0;
const ok = (m) => console.log(`  ok    ${m}`);
const fail = (m) => { failures++; console.log(`  FAIL  ${m}`); };

// Walk the whole tree (as `docker build` does) and keep what .dockerignore lets through.
const included = [];
let bytes = 0;
const walk = (dir) => {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    const rel = relative(root, full);
    if (entry.isDirectory()) walk(full);
    else if (!ig.ignores(rel)) { included.push(rel); bytes += statSync(full).size; }
  }
};
walk(root);
const has = (prefix) => included.some((f) => f === prefix || f.startsWith(prefix.replace(/\/?$/, "/")));

// Context COPY sources of the Dockerfile (COPY without --from=).
const dockerfile = readFileSync(join(root, "Dockerfile"), "utf8").replace(/\\\n/g, " ");
const sources = [];
for (const line of dockerfile.split("\n")) {
  const m = /^\s*COPY\s+(.*)$/i.exec(line);
  if (!m || /--from=/.test(m[1])) continue;
  const args = m[1].split(/\s+/).filter((a) => a && !a.startsWith("--"));
  sources.push(...args.slice(0, -1));
}
for (const source of sources) {
  const path = source.replace(/^\.\//, "").replace(/\/$/, "");
  const full = join(root, path);
  if (!existsSync(full)) fail(`COPY ${source}: not in the repository`);
  else if (has(path)) ok(`COPY ${source}: in the context`);
  else if (statSync(full).isDirectory() && readdirSync(full).length === 0) fail(`COPY ${source}: the folder is empty`);
  else fail(`COPY ${source}: excluded by .dockerignore`);
}
for (const needed of ["src/Api/Program.cs", "src/Core/Core.csproj", "models/sentiment.ckpt", "models/ner.ckpt"]) {
  if (!existsSync(join(root, needed))) { fail(`${needed}: missing from the repository (the image needs it)`); continue; }
  if (included.includes(needed)) ok(`${needed}: in the context`); else fail(`${needed}: excluded by .dockerignore`);
}

const forbidden = [
  [/^\.git\//, "the git folder"],
  [/(^|\/)(bin|obj)\//, "build outputs (bin/, obj/)"],
  [/^\.cache\//, "pre-trained embeddings (.cache/)"],
  [/(^|\/)embeddings\//, "embeddings/"],
  [/^runs\//, "trainer runs"],
  [/^TestResults\//, "test results"],
  [/^(tests|bench|src\/Training)\//, "tests, benchmarks and the trainer (not in the image)"],
  [/(^|\/)data\//, "corpora (data/)"],
  [/(^|\/)\.env$/, "local .env secrets"],
];
for (const [pattern, what] of forbidden) {
  const leaked = included.filter((f) => pattern.test(f));
  if (leaked.length) fail(`${what} in the context: ${leaked.slice(0, 3).join(", ")}${leaked.length > 3 ? ", ..." : ""}`);
  else ok(`${what}: kept out`);
}

const mib = (bytes / 2 ** 20).toFixed(1);
console.log(`context: ${included.length} files, ${mib} MiB`);
if (bytes > 64 * 2 ** 20) fail(`context is ${mib} MiB, more than 64 MiB`);
console.log(failures === 0 ? "context-check: all checks passed" : `context-check: ${failures} check(s) failed`);
process.exit(failures === 0 ? 0 : 1);
