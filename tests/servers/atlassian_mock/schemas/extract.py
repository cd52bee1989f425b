#!/usr/bin/env python3
"""Builds the trimmed schema files the mock schema test reads (schema_test.py) from
Atlassian's full OpenAPI documents: for each operation the mocks serve, the schema of
its 200 response (and of any 4xx response the operation documents with a body), plus
every components/schemas entry those reach through $ref. Descriptions and examples
are dropped; nothing else is changed.

  extract.py jira SPEC.json --snapshot OWNER/REPO@COMMIT --date YYYY-MM-DD > jira-cloud.json
  extract.py confluence SPEC.json --snapshot ... --date ... > confluence-cloud.json

README.md (next to this file) says where the full documents come from.
"""

import argparse
import json
import sys

# The operations each mock answers for Cloud, as the spec names them (method, path).
OPERATIONS = {
    "jira": [
        ("get", "/rest/api/3/myself"),
        ("get", "/rest/api/3/project"),
        ("get", "/rest/api/3/user/permission/search"),
        ("get", "/rest/api/3/project/{projectIdOrKey}/role"),
        ("get", "/rest/api/3/project/{projectIdOrKey}/role/{id}"),
        ("get", "/rest/api/3/issue/{issueIdOrKey}/comment"),
        ("get", "/rest/api/3/search/jql"),
        ("get", "/rest/api/3/issuesecurityschemes/level/member"),
        ("get", "/rest/api/3/users/search"),
        ("get", "/rest/api/3/user/groups"),
    ],
    "confluence": [
        ("get", "/wiki/rest/api/space"),
        ("get", "/wiki/rest/api/content/search"),
        ("get", "/wiki/rest/api/content/{id}/child/attachment"),
        ("get", "/wiki/rest/api/user/memberof"),
    ],
}
# Schemas kept though no kept operation names them: Jira's error body, which the spec
# gives for errors of other operations (the kept ones document theirs without a body).
EXTRA = {"jira": ["ErrorCollection"], "confluence": []}
SOURCE = {
    "jira": "https://developer.atlassian.com/cloud/jira/platform/swagger-v3.v3.json",
    "confluence": "https://developer.atlassian.com/cloud/confluence/swagger.v3.json",
}
DROP = {"description", "example", "examples", "externalDocs", "xml", "title"}
# Keywords whose value is a schema, a list of schemas, or a map of name -> schema.
ONE = {"items", "additionalProperties", "not"}
MANY = {"allOf", "anyOf", "oneOf"}


def trim(schema, refs):
    """`schema` without documentation keywords; the $ref targets it names go to `refs`."""
    if not isinstance(schema, dict):
        return schema
    out = {}
    for key, value in schema.items():
        if key in DROP:
            continue
        if key == "$ref":
            refs.add(value.rsplit("/", 1)[-1])
            out[key] = value
        elif key == "properties":
            out[key] = {name: trim(sub, refs) for name, sub in value.items()}
        elif key in ONE:
            out[key] = trim(value, refs)
        elif key in MANY:
            out[key] = [trim(sub, refs) for sub in value]
        else:
            out[key] = value
    return out


def extract(product, spec):
    components = spec["components"]["schemas"]
    refs, operations = set(EXTRA[product]), {}
    for method, path in OPERATIONS[product]:
        op = spec["paths"][path][method]
        kept = {}
        for status, response in op["responses"].items():
            media = response.get("content", {}).get("application/json", {})
            if "schema" in media and (status == "200" or status.startswith("4")):
                kept[status] = trim(media["schema"], refs)
        if "200" not in kept:
            sys.exit(f"{method.upper()} {path}: the spec gives no 200 JSON schema")
        operations[f"{method.upper()} {path}"] = kept
    schemas, todo = {}, sorted(refs)
    while todo:
        name = todo.pop()
        if name in schemas:
            continue
        found = set()
        schemas[name] = trim(components[name], found)
        todo += sorted(found - set(schemas))
    return operations, dict(sorted(schemas.items()))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("product", choices=sorted(OPERATIONS))
    p.add_argument("spec", help="the full OpenAPI document (JSON)")
    p.add_argument("--snapshot", required=True, help="where this copy was read: owner/repo@commit")
    p.add_argument("--date", required=True, help="the copy's date, YYYY-MM-DD")
    a = p.parse_args()
    with open(a.spec) as f:
        spec = json.load(f)
    operations, schemas = extract(a.product, spec)
    info = spec["info"]
    licence = info.get("license")
    out = {
        "x-source": {
            "title": info.get("title"), "url": SOURCE[a.product], "snapshot": a.snapshot,
            "openapi": spec.get("openapi"), "specVersion": info.get("version"), "date": a.date,
            "license": f"{licence['name']} ({licence.get('url', '')})" if licence
            else "none stated in the document's info",
        },
        "operations": operations,
        "components": {"schemas": schemas},
    }
    json.dump(out, sys.stdout, indent=1, sort_keys=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
