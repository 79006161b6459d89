// Validates Kubernetes objects against the API schemas of kubernetes-models (and the Prometheus Operator's
// CRD models). Input: a JSON array of objects, in the file named by the first argument. Prints one line per
// object and exits 1 when any is invalid or of a kind it has no schema for.
import { readFileSync } from "node:fs";

const GROUPS = {
  "monitoring.coreos.com/v1": "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1",
};

const objects = JSON.parse(readFileSync(process.argv[2], "utf8"));
let failures = 0;
for (const object of objects) {
  const { apiVersion, kind } = object;
  const name = `${kind} ${object.metadata?.name} (${apiVersion})`;
  const module = GROUPS[apiVersion] ?? `kubernetes-models/${apiVersion}`;
  try {
    const models = await import(module);
    const Model = models[kind];
    if (!Model) throw new Error(`no schema for kind ${kind} in ${module}`);
    new Model(object).validate();
    console.log(`valid   ${name}`);
  } catch (error) {
    failures++;
    console.log(`INVALID ${name}: ${error.message}`);
  }
}
console.log(`${objects.length - failures} of ${objects.length} objects valid`);
process.exit(failures === 0 ? 0 : 1);
