"""Checks the Confluence and Jira mocks' Cloud answers against Atlassian's published
OpenAPI schemas (the trimmed copies in schemas/, see schemas/README.md).

Every route a mock serves must be either checked here or listed in NO_SCHEMA with the
reason: a route added to a mock without either fails test_every_route_is_covered.

  python3 -m unittest tests/servers/atlassian_mock/schema_test.py
"""

import base64
import copy
import json
import os
import sys
import threading
import unittest
import urllib.error
import urllib.request
from urllib.parse import parse_qsl, urlencode

import jsonschema

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

from confluence import Confluence  # noqa: E402
from jira import Jira  # noqa: E402
from mock_base import serve  # noqa: E402

USER, SECRET = "admin", "changeme"
# OpenAPI 3.0 keywords that are no JSON Schema assertion (annotations, or only
# meaningful to the spec's own tooling); `nullable` is rewritten, not dropped.
OPENAPI_ONLY = {"readOnly", "writeOnly", "deprecated", "discriminator", "xml", "externalDocs",
                "example", "nullable"}
SUBSCHEMA = {"items", "additionalProperties", "not"}
SUBSCHEMAS = {"allOf", "anyOf", "oneOf"}


def json_schema(schema):
    """An OpenAPI 3.0 schema object as JSON Schema (draft 4, OpenAPI 3.0's base):
    `nullable: true` admits null, OpenAPI-only keywords and x- extensions go."""
    if not isinstance(schema, dict):
        return schema
    out = {}
    for key, value in schema.items():
        if key in OPENAPI_ONLY or key.startswith("x-"):
            continue
        if key in ("properties", "schemas"):
            out[key] = {name: json_schema(sub) for name, sub in value.items()}
        elif key in SUBSCHEMA:
            out[key] = json_schema(value)
        elif key in SUBSCHEMAS:
            out[key] = [json_schema(sub) for sub in value]
        else:
            out[key] = value
    if schema.get("nullable") is True:
        if "type" in out and "$ref" not in out:
            out["type"] = [out["type"], "null"]
            if "enum" in out:
                out["enum"] = out["enum"] + [None]
        else:
            out = {"anyOf": [out, {"type": "null"}]}
    return out


class Spec:
    """One trimmed schema file: the operations' response schemas and their components."""

    def __init__(self, name):
        with open(os.path.join(HERE, "schemas", name)) as f:
            self.doc = json.load(f)
        self.components = json_schema(self.doc["components"])

    def schema(self, operation, status):
        """The JSON Schema of `operation`'s `status` answer; None when the spec gives none."""
        found = self.doc["operations"][operation].get(str(status))
        if found is None:
            return None
        # The components ride along at the root so "#/components/schemas/X" resolves.
        return {"components": self.components, "allOf": [json_schema(found)]}

    def component(self, name):
        return {"components": self.components, "allOf": [{"$ref": f"#/components/schemas/{name}"}]}


JIRA = Spec("jira-cloud.json")
CONFLUENCE = Spec("confluence-cloud.json")


def problems(schema, body):
    validator = jsonschema.Draft4Validator(schema)
    return [f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}"
            for e in sorted(validator.iter_errors(body), key=lambda e: list(e.absolute_path))]


class Running:
    """A mock served on a free loopback port for the test's lifetime."""

    def __init__(self, mock):
        self.mock = mock
        self.server = serve(mock, 0)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def get(self, path, query=None, auth=True):
        url = f"http://127.0.0.1:{self.mock.port}{path}"
        if query:
            url += "?" + urlencode(query)
        request = urllib.request.Request(url)
        if auth:
            token = base64.b64encode(f"{USER}:{SECRET}".encode()).decode()
            request.add_header("Authorization", f"Basic {token}")

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args):
                return None

        opener = urllib.request.build_opener(NoRedirect)
        try:
            with opener.open(request, timeout=10) as answer:
                status, kind, data = answer.status, answer.headers.get("Content-Type", ""), answer.read()
        except urllib.error.HTTPError as error:
            status, kind, data = error.code, error.headers.get("Content-Type", ""), error.read()
        return status, json.loads(data) if kind.startswith("application/json") else data


# Route (the mock's regex) -> (spec, operation, requests). A request is (path, query);
# each must answer 200 and match the operation's 200 schema. /rest/api/2 routes of Jira
# Cloud are checked against the /rest/api/3 operation where v2 and v3 answer the same
# shape (no rich-text field: users, projects, roles).
JIRA_CLOUD = {
    r"/rest/api/2/myself": (JIRA, "GET /rest/api/3/myself", [("/rest/api/2/myself", {})]),
    r"/rest/api/2/project": (JIRA, "GET /rest/api/3/project", [("/rest/api/2/project", {})]),
    r"/rest/api/2/user/permission/search": (JIRA, "GET /rest/api/3/user/permission/search", [
        ("/rest/api/2/user/permission/search", {"projectKey": "P0", "permissions": "BROWSE_PROJECTS"}),
        ("/rest/api/2/user/permission/search", {"projectKey": "P1", "permissions": "BROWSE_PROJECTS"})]),
    r"/rest/api/2/project/([A-Z0-9]+)/role": (JIRA, "GET /rest/api/3/project/{projectIdOrKey}/role", [
        ("/rest/api/2/project/P0/role", {})]),
    r"/rest/api/2/project/([A-Z0-9]+)/role/(\d+)": (
        JIRA, "GET /rest/api/3/project/{projectIdOrKey}/role/{id}", [
            ("/rest/api/2/project/P0/role/10100", {}), ("/rest/api/2/project/P0/role/10200", {}),
            ("/rest/api/2/project/P1/role/10200", {})]),
    # What the connector reads the issues and comments with: v2 has the v3 shapes, but
    # strings where v3 has ADF (issue fields and comment bodies are free-form in the schema).
    r"/rest/api/2/search/jql": (JIRA, "GET /rest/api/3/search/jql", [
        ("/rest/api/2/search/jql", {"jql": "project in (P0, P1)", "maxResults": 5, "fields": "*all"})]),
    r"/rest/api/2/issue/([A-Z0-9]+-\d+)/comment": (JIRA, "GET /rest/api/3/issue/{issueIdOrKey}/comment", [
        ("/rest/api/2/issue/P0-1/comment", {"startAt": 2, "maxResults": 2})]),
    r"/rest/api/3/issue/([A-Z0-9]+-\d+)/comment": (JIRA, "GET /rest/api/3/issue/{issueIdOrKey}/comment", [
        ("/rest/api/3/issue/P0-1/comment", {}), ("/rest/api/3/issue/P0-1/comment", {"startAt": 2, "maxResults": 2}),
        ("/rest/api/3/issue/P1-1/comment", {})]),
    r"/rest/api/3/search/jql": (JIRA, "GET /rest/api/3/search/jql", [
        ("/rest/api/3/search/jql", {"jql": "project in (P0, P1)", "maxResults": 5, "fields": "*all"}),
        ("/rest/api/3/search/jql", {"jql": "project = P0", "maxResults": 100}),
        ("/rest/api/3/search/jql", {"jql": "key = P0-1"})]),
    r"/rest/api/3/issuesecurityschemes/level/member": (
        JIRA, "GET /rest/api/3/issuesecurityschemes/level/member", [
            ("/rest/api/3/issuesecurityschemes/level/member", {"levelId": "10100"}),
            ("/rest/api/3/issuesecurityschemes/level/member", {"levelId": "10100", "startAt": 1}),
            ("/rest/api/3/issuesecurityschemes/level/member", {"levelId": "4"})]),
    r"/rest/api/3/users/search": (JIRA, "GET /rest/api/3/users/search", [("/rest/api/3/users/search", {})]),
    r"/rest/api/3/user/groups": (JIRA, "GET /rest/api/3/user/groups", [
        ("/rest/api/3/user/groups", {"accountId": "acc-0"}), ("/rest/api/3/user/groups", {"accountId": "acc-3"})]),
}
CONFLUENCE_CLOUD = {
    r"/wiki/rest/api/space": (CONFLUENCE, "GET /wiki/rest/api/space", [
        ("/wiki/rest/api/space", {"limit": 2}),
        ("/wiki/rest/api/space", {"expand": "permissions", "limit": 50})]),
    r"/wiki/rest/api/content/search": (CONFLUENCE, "GET /wiki/rest/api/content/search", [
        ("/wiki/rest/api/content/search", {"cql": "type=page", "limit": 3}),
        ("/wiki/rest/api/content/search", {
            "cql": "space in (SP0, SP1) AND type=blogpost", "limit": 50,
            "expand": "children.attachment,history.lastUpdated,body.storage,space,space.permissions,"
                      "restrictions.read.restrictions.user,restrictions.read.restrictions.group"})]),
    r"/wiki/rest/api/content/(\d+)/child/attachment": (
        CONFLUENCE, "GET /wiki/rest/api/content/{id}/child/attachment", [
            ("/wiki/rest/api/content/100000/child/attachment", {}),
            ("/wiki/rest/api/content/100000/child/attachment", {"limit": 1, "expand": "version"})]),
    r"/wiki/rest/api/user/memberof": (CONFLUENCE, "GET /wiki/rest/api/user/memberof", [
        ("/wiki/rest/api/user/memberof", {"accountId": "acc-0"}),
        ("/wiki/rest/api/user/memberof", {"accountId": "acc-3"})]),
    # The Confluence connector lists a Cloud site's users with Jira's platform API.
    r"/rest/api/3/users/search": (JIRA, "GET /rest/api/3/users/search", [("/rest/api/3/users/search", {})]),
}

# Routes checked against no schema, and why.
NO_SCHEMA = {
    "jira": {
        r"/rest/api/2/attachment/content/(\d+)": "a file download: a 303 to the media host, no JSON",
        r"/_media/file/(\d+)": "the media host's file bytes: not an Atlassian REST API",
        r"/rest/api/2/search": "removed from Cloud (CHANGE-2046): answers 410, its body checked in JIRA_ERRORS",
        r"/rest/api/3/search": "removed from Cloud (CHANGE-2046): answers 410, its body checked in JIRA_ERRORS",
    },
    "confluence": {
        r"/wiki/download/attachments/(\d+)/([^/]+)": "a file download: a 302 to the media host, no JSON",
        r"/_media/file/(\d+)/([^/]+)": "the media host's file bytes: not an Atlassian REST API",
    },
}

# Jira's error answers: (path, query, status). The operations document these statuses
# without a body, so they are checked against ErrorCollection, the body the same spec
# gives for Jira's errors elsewhere (84 operations' 401, 59 operations' 404).
JIRA_ERRORS = [
    ("/rest/api/2/search", {"jql": "project = P0"}, 410),
    ("/rest/api/3/search", {"jql": "project = P0"}, 410),
    ("/rest/api/3/search/jql", {"jql": "summary ~ foo"}, 400),
    ("/rest/api/3/issue/NOPE-1/comment", {}, 404),
    ("/rest/api/2/search/jql", {"jql": "summary ~ foo"}, 400),
    ("/rest/api/2/project/NOPE/role", {}, 404),
    ("/rest/api/2/project/NOPE/role/10100", {}, 404),
    ("/rest/api/2/user/permission/search", {"projectKey": "NOPE", "permissions": "BROWSE_PROJECTS"}, 404),
    ("/rest/api/3/user/groups", {"accountId": "nobody"}, 404),
    ("/rest/api/2/attachment/content/1", {}, 404),
    ("/rest/api/2/no/such/endpoint", {}, 404),
]
# Error answers no published schema describes, and why.
ERRORS_WITHOUT_SCHEMA = {
    401: "every mocked operation documents 401 without a body (both specs)",
    403: "Jira: the media host's refusal is not an Atlassian API; Confluence: no error schema",
    429: "no mocked operation documents 429 with a body (Jira's user search: description only)",
    "confluence": "the Confluence spec gives no 4xx response a body schema",
}


def route_keys(mock):
    return {pattern.pattern[:-2] for _, pattern, _ in mock.routes}


class Base:
    """The checks of one product's mock (a mixin: the product classes are the TestCases)."""

    product = None
    checks = None

    def setUp(self):
        self.running = Running(self.make())
        self.addCleanup(self.running.stop)

    def assert_valid(self, schema, body, what):
        found = problems(schema, body)
        self.assertFalse(found, f"{what} does not match the published schema:\n  " + "\n  ".join(found))

    def test_every_route_is_covered(self):
        served = route_keys(self.running.mock)
        covered = set(self.checks) | set(NO_SCHEMA[self.product])
        self.assertEqual(served - covered, set(), "routes with neither a schema check nor a NO_SCHEMA reason")
        self.assertEqual(covered - served, set(), "checks of routes the mock does not serve")

    def test_answers_match_the_published_schemas(self):
        for route, (spec, operation, requests) in self.checks.items():
            schema = spec.schema(operation, 200)
            self.assertIsNotNone(schema, operation)
            filled = 0
            for path, query in requests:
                with self.subTest(route=route, path=path, query=query):
                    status, body = self.running.get(path, query)
                    self.assertEqual(status, 200, body)
                    filled += body not in ([], {})
                    self.assert_valid(schema, body, f"GET {path}?{urlencode(query)} ({operation})")
            self.assertTrue(filled, f"{route}: only empty answers, which check nothing")

    def follow(self, path, query, pages):
        """The answers of the first `pages` pages of a paged listing."""
        answers = []
        while path and len(answers) < pages:
            status, body = self.running.get(path, query)
            self.assertEqual(status, 200, body)
            answers.append(body)
            path, query = self.next_page(body, path, query)
        return answers


class JiraCloud(Base, unittest.TestCase):
    product = "jira"
    checks = JIRA_CLOUD

    def make(self):
        return Jira("cloud", USER, SECRET, projects=4, issues=30, file_size=100, users=4)

    def next_page(self, body, path, query):
        token = body.get("nextPageToken")
        return (path, {**query, "nextPageToken": token}) if token else (None, None)

    def test_search_pages_match(self):
        schema = JIRA.schema("GET /rest/api/3/search/jql", 200)
        answers = self.follow("/rest/api/3/search/jql", {"jql": "project = P0", "maxResults": 2}, 3)
        self.assertEqual(len(answers), 3)
        for n, body in enumerate(answers):
            self.assert_valid(schema, body, f"search page {n}")

    def test_error_bodies_are_error_collections(self):
        schema = JIRA.component("ErrorCollection")
        for path, query, expected in JIRA_ERRORS:
            with self.subTest(path=path, query=query):
                status, body = self.running.get(path, query)
                self.assertEqual(status, expected, body)
                self.assert_valid(schema, body, f"the {status} of GET {path}")

    def test_unchecked_errors_are_the_listed_ones(self):
        # Guards ERRORS_WITHOUT_SCHEMA: the answers it excuses are the mock's own.
        self.assertEqual(self.running.get("/rest/api/2/myself", auth=False)[0], 401)
        self.running.mock.storm_left = 1
        self.assertEqual(self.running.get("/rest/api/2/myself")[0], 429)
        self.assertEqual(self.running.get("/_media/file/30000", {"token": "x"}, auth=False)[0], 403)
        self.assertEqual(sorted(k for k in ERRORS_WITHOUT_SCHEMA if isinstance(k, int)), [401, 403, 429])


class ConfluenceCloud(Base, unittest.TestCase):
    product = "confluence"
    checks = CONFLUENCE_CLOUD

    def make(self):
        return Confluence("cloud", USER, SECRET, spaces=5, contents=6, attachments=2, file_size=100, users=4)

    def next_page(self, body, path, query):
        link = body["_links"].get("next")
        if not link:
            return None, None
        target, _, rest = link.partition("?")
        return "/wiki" + target, dict(parse_qsl(rest))

    def test_pages_match(self):
        for path, query, operation in [
            ("/wiki/rest/api/space", {"limit": 2, "expand": "permissions"}, "GET /wiki/rest/api/space"),
            ("/wiki/rest/api/content/search", {"cql": "type=page", "limit": 2},
             "GET /wiki/rest/api/content/search")]:
            schema = CONFLUENCE.schema(operation, 200)
            answers = self.follow(path, query, 3)
            self.assertEqual(len(answers), 3, path)
            for n, body in enumerate(answers):
                self.assert_valid(schema, body, f"{path} page {n}")


class Conversion(unittest.TestCase):
    """The OpenAPI-to-JSON-Schema step keeps the assertions that matter."""

    def test_nullable_admits_null_only_where_declared(self):
        group = JIRA.component("GroupName")
        self.assertEqual(problems(group, {"name": "g", "groupId": None}), [])
        self.assertTrue(problems(group, {"name": None}))

    def test_a_wrong_type_and_an_unknown_field_fail(self):
        user = JIRA.component("User")
        good = {"accountId": "a", "active": True, "displayName": "A"}
        self.assertEqual(problems(user, good), [])
        self.assertTrue(problems(user, {**good, "active": "yes"}))
        self.assertTrue(problems(user, {**good, "unknown": 1}))  # additionalProperties: false

    def test_schemas_are_not_mutated(self):
        before = copy.deepcopy(CONFLUENCE.doc)
        CONFLUENCE.schema("GET /wiki/rest/api/space", 200)
        self.assertEqual(CONFLUENCE.doc, before)


if __name__ == "__main__":
    unittest.main()
