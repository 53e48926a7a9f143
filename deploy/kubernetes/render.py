"""Build a kustomization of deploy/kubernetes/ the way `kubectl kustomize --load-restrictor LoadRestrictionsNone`
does, for machines without kubectl or kustomize (`python deploy/kubernetes/render.py overlays/large | kubectl apply
-f -` works too, where kubectl has no kustomize).

Only what these kustomizations use: resources and components, namespace, labels (metadata only), images,
configMapGenerator from files (a content hash suffixed to the name, and the references renamed), and patches: a file of
strategic-merge patches matched by kind and name, or an inline patch with a target (a JSON 6902 list of operations,
or `$patch: delete`). A strategic-merge patch here merges maps and replaces lists: patch only maps and scalars. The
test compares this with kubectl's output wherever kubectl is installed.
"""
import copy
import hashlib
import json
import re
import sys
from pathlib import Path
from typing import Any

import yaml

Resource = dict[str, Any]


def load_documents(path: Path) -> list[Resource]:
    return [doc for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")) if doc]


def build(directory: Path) -> list[Resource]:
    """The resources the kustomization in `directory` produces."""
    kustomization = yaml.safe_load((directory / "kustomization.yaml").read_text(encoding="utf-8"))
    resources: list[Resource] = []
    for entry in kustomization.get("resources", []):
        path = directory / entry
        resources += build(path) if path.is_dir() else load_documents(path)
    renames = {}
    for generator in kustomization.get("configMapGenerator", []):
        config_map = _config_map(directory, generator)
        renames[generator["name"]] = config_map["metadata"]["name"]
        resources.append(config_map)
    for component in kustomization.get("components", []):
        resources = _apply_component(directory / component, resources)
    resources = _transform(directory, kustomization, resources)
    for resource in resources:
        _rename_config_maps(resource, renames)
    return resources


def _apply_component(directory: Path, resources: list[Resource]) -> list[Resource]:
    component = yaml.safe_load((directory / "kustomization.yaml").read_text(encoding="utf-8"))
    for entry in component.get("resources", []):
        resources = resources + load_documents(directory / entry)
    return _transform(directory, component, resources)


def _transform(directory: Path, kustomization: dict[str, Any], resources: list[Resource]) -> list[Resource]:
    for patch in kustomization.get("patches", []):
        resources = _apply_patch(directory, patch, resources)
    for image in kustomization.get("images", []):
        for resource in resources:
            _set_image(resource, image)
    for labels in kustomization.get("labels", []):
        for resource in resources:
            resource["metadata"].setdefault("labels", {}).update(labels["pairs"])
    if "namespace" in kustomization:
        for resource in resources:
            resource["metadata"]["namespace"] = kustomization["namespace"]
    return resources


def _matches(resource: Resource, target: dict[str, Any]) -> bool:
    group = resource["apiVersion"].rpartition("/")[0]
    return all(re.fullmatch(str(target[key]), value) for key, value in (
        ("kind", resource["kind"]), ("name", resource["metadata"]["name"]), ("group", group)) if key in target)


def _apply_patch(directory: Path, patch: dict[str, Any], resources: list[Resource]) -> list[Resource]:
    if "path" in patch:
        for document in load_documents(directory / patch["path"]):
            target = {"kind": document["kind"], "name": re.escape(document["metadata"]["name"])}
            matched = [r for r in resources if _matches(r, target)]
            if len(matched) != 1:
                raise ValueError(f"{patch['path']}: {document['kind']}/{document['metadata']['name']} matches "
                                 f"{len(matched)} resources")
            _merge(matched[0], document)
        return resources
    body = yaml.safe_load(patch["patch"])
    targets = [r for r in resources if _matches(r, patch["target"])]
    if isinstance(body, dict) and body.get("$patch") == "delete":
        return [r for r in resources if not any(r is t for t in targets)]
    for resource in targets:
        for operation in body:
            _json_patch(resource, operation)
    return resources


def _merge(into: dict[str, Any], patch: dict[str, Any]) -> None:
    for key, value in patch.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge(into[key], value)
        elif value is None:
            into.pop(key, None)
        else:
            into[key] = copy.deepcopy(value)


def _json_patch(resource: Resource, operation: dict[str, Any]) -> None:
    if operation["op"] not in ("add", "replace"):
        raise ValueError(f"unsupported JSON patch operation {operation['op']!r}")
    *parents, last = [part.replace("~1", "/").replace("~0", "~") for part in operation["path"].split("/")[1:]]
    node: Any = resource
    for part in parents:
        node = node[int(part)] if isinstance(node, list) else node[part]
    if operation["op"] == "replace" and last not in node:
        raise ValueError(f"{operation['path']} does not exist in {resource['kind']}/{resource['metadata']['name']}")
    node[last] = copy.deepcopy(operation["value"])


def _set_image(resource: Resource, image: dict[str, str]) -> None:
    pod = resource.get("spec", {}).get("template", {}).get("spec", {})
    for container in [*pod.get("containers", []), *pod.get("initContainers", [])]:
        name, _, tag = container["image"].partition(":")
        if name == image["name"]:
            container["image"] = f"{image.get('newName', name)}:{image.get('newTag', tag)}"


def _config_map(directory: Path, generator: dict[str, Any]) -> Resource:
    data = {}
    for entry in generator["files"]:
        key, _, path = entry.rpartition("=")
        data[key or Path(path).name] = (directory / path).read_text(encoding="utf-8")
    return {"apiVersion": "v1", "kind": "ConfigMap",
            "metadata": {"name": f"{generator['name']}-{_config_map_hash(generator['name'], data)}"}, "data": data}


def _config_map_hash(name: str, data: dict[str, str]) -> str:
    """A suffix that changes with the content, so that a changed template rolls the gateway out as kustomize's
    does; not kustomize's own digest (the test compares names up to this suffix)."""
    encoded = json.dumps({"data": data, "kind": "ConfigMap", "name": name}, sort_keys=True).encode()
    return hashlib.sha256(encoded).hexdigest()[:10]


def _rename_config_maps(resource: Resource, renames: dict[str, str]) -> None:
    pod = resource.get("spec", {}).get("template", {}).get("spec", {})
    for volume in pod.get("volumes", []):
        if "configMap" in volume and volume["configMap"]["name"] in renames:
            volume["configMap"]["name"] = renames[volume["configMap"]["name"]]
    for container in [*pod.get("containers", []), *pod.get("initContainers", [])]:
        for source in container.get("envFrom", []):
            if "configMapRef" in source and source["configMapRef"]["name"] in renames:
                source["configMapRef"]["name"] = renames[source["configMapRef"]["name"]]


def main() -> None:
    directory = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent / "overlays" / "small"
    yaml.safe_dump_all(build(directory), sys.stdout, sort_keys=False)


if __name__ == "__main__":
    main()
