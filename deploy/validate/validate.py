"""Offline validation of the Kubernetes manifests (`make validate-deploy`), run with the
validators' own venv (.venv-deploy, deploy/validate/requirements.lock):

1. each overlay (deploy/k8s/overlays/*) is rendered with kustomize (`kubectl kustomize`, or a
   `kustomize` binary);
2. every object of a Kubernetes kind is validated strictly (unknown fields are errors)
   against the OpenAPI schemas that kubernetes-validate ships for the Kubernetes version
   named below — no network;
3. the CloudNativePG objects (Cluster, Pooler, ScheduledBackup) are custom resources whose
   schemas ship with the operator, not with kubernetes-validate: they are checked here for
   what this service relies on (three instances, a synchronous standby, backups, a session-
   mode pooler) — field names, not the operator's full schema;
4. checkov scans the rendered manifests for security misconfigurations: no failed check is
   allowed; the few checks skipped are skipped in the manifests themselves, each with its
   reason (checkov.io/skipN annotations).

    .venv-deploy/bin/python deploy/validate/validate.py [--out var/deploy]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import kubernetes_validate
import yaml

ROOT = Path(__file__).resolve().parents[2]
OVERLAYS = ROOT / "deploy" / "k8s" / "overlays"
KUBERNETES_VERSION = "1.32.0"
CNPG = "postgresql.cnpg.io/v1"


def render(overlay: Path) -> str:
    for command in (["kubectl", "kustomize"], ["kustomize", "build"]):
        if shutil.which(command[0]):
            done = subprocess.run(
                [*command, str(overlay)], capture_output=True, text=True, check=False
            )
            if done.returncode != 0:
                raise SystemExit(f"{overlay.name}: kustomize failed:\n{done.stderr}")
            return done.stdout
    raise SystemExit(
        "validate-deploy needs kustomize: `kubectl kustomize` (kubectl ships it) or `kustomize`"
    )


def check_cnpg(document: dict[str, Any]) -> list[str]:
    kind, spec = document["kind"], document.get("spec", {})
    problems = []

    def need(condition: bool, what: str) -> None:
        if not condition:
            problems.append(f"{kind}/{document['metadata']['name']}: {what}")

    if kind == "Cluster":
        need(spec.get("instances") == 3, "instances must be 3")
        sync = spec.get("postgresql", {}).get("synchronous", {})
        need(
            sync.get("method") in ("any", "first") and sync.get("number", 0) >= 1,
            "a synchronous standby (postgresql.synchronous: method any|first, number ≥ 1)",
        )
        need("barmanObjectStore" in spec.get("backup", {}), "backups to an object store")
        need(bool(spec.get("storage", {}).get("size")), "storage size")
    elif kind == "Pooler":
        need(spec.get("type") == "rw", "a read-write pooler")
        need(
            spec.get("pgbouncer", {}).get("poolMode") == "session",
            "session pool mode (asyncpg's prepared statements)",
        )
        need(spec.get("instances", 0) >= 2, "at least two PgBouncer instances")
    elif kind == "ScheduledBackup":
        need(len(str(spec.get("schedule", "")).split()) == 6, "a six-field cron schedule")
        need(bool(spec.get("cluster", {}).get("name")), "the cluster it backs up")
    else:
        problems.append(f"{kind}: unknown CloudNativePG kind")
    return problems


def validate(name: str, text: str) -> tuple[int, list[str]]:
    documents = [d for d in yaml.safe_load_all(text) if d]
    problems: list[str] = []
    for document in documents:
        label = f"{document['kind']}/{document['metadata']['name']}"
        if document["apiVersion"] == CNPG:
            problems += check_cnpg(document)
            continue
        try:
            kubernetes_validate.validate(document, KUBERNETES_VERSION, strict=True)
        except kubernetes_validate.ValidationError as error:
            problems.append(f"{label}: {error.message} at {list(error.path)}")
        except kubernetes_validate.SchemaNotFoundError:
            problems.append(f"{label}: no schema for {document['apiVersion']}")
    return len(documents), [f"{name}: {p}" for p in problems]


def checkov(path: Path) -> tuple[int, int, list[str]]:
    done = subprocess.run(
        [
            str(Path(sys.executable).parent / "checkov"),
            "--file",
            str(path),
            "--framework",
            "kubernetes",
            "--output",
            "json",
            "--quiet",
            "--skip-download",
        ],  # fmt: skip
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        report = json.loads(done.stdout)
    except json.JSONDecodeError as error:
        raise SystemExit(
            f"checkov failed on {path}:\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}"
        ) from error
    reports = report if isinstance(report, list) else [report]
    passed = failed = 0
    failures = []
    for item in reports:
        summary = item.get("summary", {})
        passed += summary.get("passed", 0)
        failed += summary.get("failed", 0)
        for check in item.get("results", {}).get("failed_checks", []):
            failures.append(f"{check['check_id']} {check['check_name']}: {check['resource']}")
    return passed, failed, failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=str(ROOT / "var" / "deploy"))
    args = parser.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    problems: list[str] = []
    for overlay in sorted(p for p in OVERLAYS.iterdir() if p.is_dir()):
        rendered = out / f"{overlay.name}.yaml"
        rendered.write_text(render(overlay))
        count, found = validate(overlay.name, rendered.read_text())
        problems += found
        passed, failed, failures = checkov(rendered)
        problems += [f"{overlay.name}: checkov {f}" for f in failures]
        print(
            f"validate-deploy: {overlay.name}: {count} objects, schema problems {len(found)};"
            f" checkov {passed} passed, {failed} failed"
        )
    for problem in problems:
        print(f"  {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
