// Check custom resources against their operators' published API schemas.
// Usage: node check.mjs <objects.json>  (run from the directory `npm ci` filled)
// Prints one JSON array of {index, message}: `index` is the object's position, or -1.
//
// Two checks, both from the kubernetes-models packages generated from each operator's CRDs:
// - the package's JSON-schema validator (types, enumerations, patterns, bounds, required);
// - TypeScript over the package's declared types, whose excess-property check refuses a field
//   the CRD does not declare, as `kubectl apply` (strict field validation) does.
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";

const PACKAGES = {
  "kafka.strimzi.io": "strimzi-kafka-operator",
  "postgresql.cnpg.io": "cloudnative-pg",
  "monitoring.coreos.com": "prometheus-operator",
};
// "Object literal may only specify known properties" (and its "did you mean" form).
const EXCESS_PROPERTY = new Set([2353, 2561]);
const here = path.dirname(new URL(import.meta.url).pathname);
const objects = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
const problems = [];

function modulePath(o) {
  const [group, version] = o.apiVersion.split("/");
  const pkg = PACKAGES[group];
  return pkg && `@kubernetes-models/${pkg}/${group}/${version}/${o.kind}`;
}

async function schemaCheck(o, index) {
  const module = modulePath(o);
  let model;
  try {
    model = (await import(module))[o.kind];
  } catch {
    problems.push({ index, message: `no CRD schema for ${o.apiVersion} ${o.kind}` });
    return false;
  }
  try {
    new model(o).validate();
  } catch (error) {
    for (const e of error.errors ?? [{ instancePath: "", message: error.message }]) {
      problems.push({ index, message: `${e.instancePath || "/"} ${e.message} ${JSON.stringify(e.params ?? {})}` });
    }
  }
  return true;
}

function typeCheck(known) {
  const chunks = known.map(({ o }, n) => `import type { I${o.kind} as T${n} } from "${modulePath(o)}";`);
  let line = chunks.length;
  const starts = known.map(({ o, index }, n) => {
    const text = `export const o${n}: T${n} = ${JSON.stringify(o, null, 1)};`;
    chunks.push(text);
    const start = line;
    line += text.split("\n").length;
    return [start, index];
  });
  const file = path.join(here, `check-${process.pid}.ts`);
  fs.writeFileSync(file, chunks.join("\n"));
  try {
    const program = ts.createProgram([file], {
      strict: true, noEmit: true, skipLibCheck: true, target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext,
    });
    for (const d of ts.getPreEmitDiagnostics(program)) {
      const line = d.file ? d.file.getLineAndCharacterOfPosition(d.start ?? 0).line : -1;
      const owner = starts.filter(([start]) => start <= line).pop();
      const mine = owner && d.file?.fileName === file;
      if (mine && !EXCESS_PROPERTY.has(d.code)) continue; // the schema validator said it already
      const text = ts.flattenDiagnosticMessageText(d.messageText, " ");
      const message = text.replace(/ in type '.*$/s, " in the CRD's schema").slice(0, 400);
      problems.push({ index: mine ? owner[1] : -1, message });
    }
  } finally {
    fs.rmSync(file, { force: true });
  }
}

const known = [];
for (const [index, o] of objects.entries()) {
  if (await schemaCheck(o, index)) known.push({ o, index });
}
typeCheck(known);
process.stdout.write(JSON.stringify(problems));
