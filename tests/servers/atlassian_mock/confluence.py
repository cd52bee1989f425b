"""Confluence's REST API v1 as Cloud (below /wiki, cursor links) and Server
(no prefix, start/limit; /content/search without `_links.next`, as newer Data
Center versions answer CQL searches, elastic/connectors#3320) answer it:
spaces with permissions, pages and blog posts with restrictions, attachments
(Cloud downloads redirect to a media host), users and groups, a small CQL.
Shapes follow Atlassian's documented examples (developer.atlassian.com,
"Confluence REST API v1": content, search, space, user)."""

import base64
import re

from mock_base import Mock, letters, people, real_file

KB = 1000


def cql_error(query):
    return {"statusCode": 400, "data": {"authorized": True, "valid": False,
                                        "errors": [], "successful": False},
            "message": f"Could not parse cql : {query}"}


class Confluence(Mock):
    def __init__(self, deployment, user, secret, spaces=10, contents=50, attachments=5,
                 file_size=1000 * KB, users=4, latency_ms=0):
        super().__init__(deployment, user, secret, latency_ms)
        self.base = "/wiki" if self.cloud else ""
        self.public_paths = ("/_media/",)
        self.file_size = file_size
        self.users, self.groups = people(users, "confluence-users", "devs")
        self.spaces = {}
        for i in range(spaces):
            key = f"SP{i}"
            self.spaces[key] = {"id": 1000 + i, "key": key, "name": f"Demo Space {i}"}
        self.content = {}
        self.next_id = 100000
        for kind in ("page", "blogpost"):
            for i in range(contents):
                self.add_content(kind, i, attachments)
        self.route("GET", self.base + r"/rest/api/space", self.list_spaces)
        self.route("GET", self.base + r"/rest/api/content/search", self.search)
        self.route("GET", self.base + r"/rest/api/content/(\d+)/child/attachment", self.attachments)
        self.route("GET", self.base + r"/download/attachments/(\d+)/([^/]+)", self.download)
        self.route("GET", r"/_media/file/(\d+)/([^/]+)", self.media)
        self.route("GET", self.base + r"/rest/api/user/memberof", self.member_of)
        if self.cloud:
            self.route("GET", r"/rest/api/3/users/search", self.cloud_users)
        else:
            self.route("GET", r"/rest/api/user/list", self.server_users)

    # --- data ---------------------------------------------------------------------------
    def add_content(self, kind, i, attachments):
        cid = self.next_id
        self.next_id += 10
        space = list(self.spaces)[i % min(len(self.spaces), 3)] if self.spaces else "SP0"
        files = []
        for n in range(attachments):
            if cid == 100000 and n < 4:  # the first page: real documents
                name, body, media = real_file(n)
            else:
                name, body, media = f"attachment_{cid}_{n}.py", None, "text/x-python"
            files.append({"id": f"att{cid}{n}", "title": name, "body": body, "media": media,
                          "version": 1, "when": "2023-01-24T04:07:19.672Z"})
        self.content[cid] = {"id": cid, "type": kind, "title": f"{kind}_{i}", "space": space,
                             "version": 1, "when": "2023-01-24T04:07:19.672Z",
                             "body": f"This is a test {kind}", "files": files,
                             "restricted": cid % 7 == 0}

    def change_round(self):
        """Deletes a space, a page and an attachment; edits a page and a blog post."""
        changed, deleted = [], []
        if len(self.spaces) > 3:
            key = list(self.spaces)[-1]
            deleted.append(str(self.spaces.pop(key)["id"]))
        ids = sorted(self.content)
        victim = self.content.pop(ids[-1])
        deleted += [str(victim["id"])] + [f["id"] for f in victim["files"]]
        for cid in ids[1:3]:
            c = self.content[cid]
            c["version"] += 1
            c["when"] = "2024-06-01T12:00:00.000Z"
            c["body"] += " (edited)"
            changed.append(str(cid))
        first = self.content[ids[0]]
        if first["files"]:
            deleted.append(first["files"].pop()["id"])
        return {"changed": changed, "deleted": deleted}

    def space_readers(self, space):
        if space["id"] % 2 == 0:
            return set(range(len(self.users)))
        return {0} | self.groups[1]["members"]

    def visible(self, user):
        n = next((u["n"] for u in self.users if user in (u["account"], u["name"])), None)
        if n is None:
            return []
        ids = [str(s["id"]) for s in self.spaces.values() if n in self.space_readers(s)]
        for c in self.content.values():
            space = self.spaces.get(c["space"])
            allowed = n == 1 if c["restricted"] else space is not None and n in self.space_readers(space)
            if allowed:
                ids += [str(c["id"])] + [f["id"] for f in c["files"]]
        return ids

    def expected(self, request, sample):
        site = self.link(request, "")
        ids, docs = [], []
        for space in self.spaces.values():
            ids.append(str(space["id"]))
            if len(docs) < sample:
                docs.append({"id": str(space["id"]), "fields": {
                    "type": "Space", "title": space["name"], "url": f"{site}/spaces/{space['key']}",
                    "_timestamp": {"$iso8601": True}}})
        attachments = 0
        for cid, c in sorted(self.content.items()):
            space = self.spaces.get(c["space"])
            if space is None:
                continue
            ids.append(str(cid))
            content = self.content_json(c, "space,history.lastUpdated,body.storage")
            if len(docs) < 2 * sample:
                docs.append({"id": str(cid), "fields": {
                    "type": c["type"], "title": c["title"], "space": space["name"],
                    "body": content["body"]["storage"]["value"], "url": site + content["_links"]["webui"],
                    "_timestamp": c["when"]}})
            for f in c["files"]:
                ids.append(f["id"])
                if attachments >= sample:
                    continue
                attachments += 1
                a = self.attachment_json(c, f)
                fields = {"type": "attachment", "title": f["title"], "space": space["name"],
                          c["type"]: c["title"], "size": a["extensions"]["fileSize"],
                          "url": site + a["_links"]["webui"], "_timestamp": f["when"],
                          # Real files: what the extractor makes of them is its own test.
                          "body": {"$exists": True} if f["body"] is not None
                          else letters(cid, self.file_size).decode()}
                docs.append({"id": f["id"], "fields": fields})
        return {"ids": ids, "docs": docs}

    def link(self, request, path):
        host = f"{self.scheme}://{request.host}"
        return host + self.base if self.cloud else host

    # --- shapes ---------------------------------------------------------------------------
    def user_subject(self, u):
        return {"type": "known", "accountId": u["account"], "username": u["name"],
                "userKey": f"key-{u['n']}", "displayName": u["display"]}

    def space_json(self, space, expand):
        out = {"id": space["id"], "key": space["key"], "name": space["name"], "type": "global",
               "status": "current", "_expandable": {"permissions": "", "homepage": ""},
               "_links": {"webui": f"/spaces/{space['key']}",
                          "self": f"{self.base}/rest/api/space/{space['key']}"}}
        if "permissions" in expand:
            # Even spaces: everyone; odd ones: user 0 and the devs group.
            if space["id"] % 2 == 0:
                readers = [{"group": self.groups[0]}]
            else:
                readers = [{"user": self.users[0]}, {"group": self.groups[1]}]
            perms = []
            for n, reader in enumerate(readers):
                if "user" in reader:
                    subjects = {"user": {"results": [self.user_subject(reader["user"])], "size": 1}}
                else:
                    g = reader["group"]
                    group = {"type": "group", "name": g["name"]}
                    if self.cloud:
                        group["id"] = g["id"]
                    subjects = {"group": {"results": [group], "size": 1}}
                perms.append({"id": n + 1, "subjects": subjects, "anonymousAccess": False,
                              "unlicensedAccess": False,
                              "operation": {"operation": "read", "targetType": "space"}})
            perms.append({"id": 99, "subjects": {"user": {"results": [self.user_subject(self.users[-1])],
                                                          "size": 1}},
                          "anonymousAccess": False, "unlicensedAccess": False,
                          "operation": {"operation": "administer", "targetType": "space"}})
            out["permissions"] = perms
            del out["_expandable"]["permissions"]
        return out

    def content_json(self, c, expand):
        space = self.spaces.get(c["space"], {"id": 0, "key": c["space"], "name": c["space"]})
        out = {"id": str(c["id"]), "type": c["type"], "status": "current", "title": c["title"],
               "_links": {"webui": f"/spaces/{space['key']}/pages/{c['id']}/{c['title']}",
                          "self": f"{self.base}/rest/api/content/{c['id']}"},
               "_expandable": {}}
        if "space" in expand:
            out["space"] = {"id": space["id"], "key": space["key"], "name": space["name"],
                            "type": "global", "status": "current", "_expandable": {},
                            "_links": {"webui": f"/spaces/{space['key']}",
                                       "self": f"{self.base}/rest/api/space/{space['key']}"}}
        if "history.lastUpdated" in expand:
            out["history"] = {"latest": True, "lastUpdated": {"when": c["when"], "number": c["version"],
                                                              "minorEdit": False}}
        if "body.storage" in expand:
            out["body"] = {"storage": {"value": f"<p>{c['body']}</p>", "representation": "storage"}}
        if "children.attachment" in expand:
            out["children"] = {"attachment": {"results": [], "start": 0, "limit": 25,
                                              "size": len(c["files"]), "_links": {}}}
        if "restrictions.read.restrictions.user" in expand:
            users = [self.user_subject(self.users[1])] if c["restricted"] else []
            out["restrictions"] = {"read": {"operation": "read", "restrictions": {
                "user": {"results": users, "start": 0, "limit": 200, "size": len(users)},
                "group": {"results": [], "start": 0, "limit": 200, "size": 0}},
                "_expandable": {"content": ""}, "_links": {}}}
        return out

    def attachment_json(self, c, f):
        size = len(f["body"]) if f["body"] is not None else self.file_size
        return {"id": f["id"], "type": "attachment", "status": "current", "title": f["title"],
                "version": {"when": f["when"], "number": f["version"], "minorEdit": False},
                "metadata": {"mediaType": f["media"]},
                "extensions": {"mediaType": f["media"], "fileSize": size},
                "_links": {"webui": f"/pages/viewpageattachments.action?pageId={c['id']}",
                           "download": f"/download/attachments/{c['id']}/{f['title']}"
                                       f"?version={f['version']}&api=v2"}}

    # --- paging ---------------------------------------------------------------------------
    def page(self, request, items, path, default_limit, max_limit, next_link=True):
        """One page of `items`. Cloud pages by an opaque cursor, Server by start."""
        limit = min(request.int_arg("limit", default_limit), max_limit)
        if self.cloud and request.arg("cursor"):
            start = int(base64.b64decode(request.arg("cursor")).decode())
        else:
            start = request.int_arg("start", 0)
        results = items[start:start + limit]
        links = {"base": self.link(request, ""), "context": self.base}
        more = start + limit < len(items)
        if more and next_link:
            params = [(k, v) for k, v in request.query.items() if k not in ("start", "cursor", "limit")]
            params.append(("limit", str(limit)))
            if self.cloud:
                params.append(("cursor", base64.b64encode(str(start + limit).encode()).decode()))
            else:
                params.append(("start", str(start + limit)))
            from urllib.parse import urlencode
            links["next"] = f"{path}?{urlencode(params)}"
        return {"results": results, "start": start, "limit": limit, "size": len(results),
                "_links": links}

    # --- handlers -------------------------------------------------------------------------
    def list_spaces(self, request):
        expand = request.arg("expand", "")
        items = [self.space_json(s, expand) for s in self.spaces.values()]
        return 200, self.page(request, items, "/rest/api/space", 25, 500), {}

    def parse_cql(self, cql):
        """A small CQL: clauses joined by AND — type=, space=, space in (...), id=."""
        clauses = re.split(r"\s+AND\s+", cql.strip(), flags=re.IGNORECASE)
        tests = []
        for clause in clauses:
            m = re.fullmatch(r'type\s*=\s*"?(page|blogpost)"?', clause.strip())
            if m:
                tests.append(lambda c, t=m.group(1): c["type"] == t)
                continue
            m = re.fullmatch(r'space\s*=\s*"?([A-Za-z0-9_]+)"?', clause.strip())
            if m:
                tests.append(lambda c, k=m.group(1): c["space"] == k)
                continue
            m = re.fullmatch(r'space\s+in\s*\(([^)]*)\)', clause.strip(), flags=re.IGNORECASE)
            if m:
                keys = {k.strip().strip('"').strip("'") for k in m.group(1).split(",")}
                tests.append(lambda c, ks=keys: c["space"] in ks)
                continue
            m = re.fullmatch(r'id\s*=\s*(\d+)', clause.strip())
            if m:
                tests.append(lambda c, i=int(m.group(1)): c["id"] == i)
                continue
            return None
        return lambda c: all(t(c) for t in tests)

    def search(self, request):
        cql = request.arg("cql")
        if cql is None:
            return 400, cql_error("(none)"), {}
        test = self.parse_cql(cql)
        if test is None:
            return 400, cql_error(cql), {}
        expand = request.arg("expand", "")
        items = [self.content_json(c, expand) for cid, c in sorted(self.content.items()) if test(c)]
        # Newer Data Center versions leave `next` out of CQL searches (#3320).
        body = self.page(request, items, "/rest/api/content/search", 25, 50, next_link=self.cloud)
        body["totalSize"] = len(items)
        body["cqlQuery"] = cql
        return 200, body, {}

    def attachments(self, request, cid):
        c = self.content.get(int(cid))
        if c is None:
            return 404, {"statusCode": 404, "message": f"No content found with id: ContentId{{id={cid}}}"}, {}
        items = [self.attachment_json(c, f) for f in c["files"]]
        path = f"/rest/api/content/{cid}/child/attachment"
        return 200, self.page(request, items, path, 50, 100), {}

    def file_body(self, cid, name):
        c = self.content.get(int(cid))
        for f in (c or {}).get("files", []):
            if f["title"] == name:
                body = f["body"] if f["body"] is not None else letters(int(cid), self.file_size)
                return f, body
        return None, None

    def download(self, request, cid, name):
        f, body = self.file_body(cid, name)
        if f is None:
            return 404, {"statusCode": 404, "message": "Attachment not found"}, {}
        if self.cloud:
            # Cloud sends the bytes from its media service, on another host and without the
            # site's credentials: a token in the URL stands for them.
            return 302, "", {"Location": f"{self.scheme}://localhost:{self.port}/_media/file/{cid}/{name}"
                                         f"?token=media-{cid}"}
        return 200, body, {"Content-Type": f["media"]}

    def media(self, request, cid, name):
        if request.arg("token") != f"media-{cid}" or "Authorization" in request.headers:
            return 403, {"message": "bad media token or credentials sent to the media host"}, {}
        f, body = self.file_body(cid, name)
        if f is None:
            return 404, {"message": "not found"}, {}
        return 200, body, {"Content-Type": f["media"]}

    def user_of(self, request):
        key = request.arg("accountId") if self.cloud else request.arg("username")
        for u in self.users:
            if key in (u["account"] if self.cloud else u["name"],):
                return u
        return None

    def member_of(self, request):
        u = self.user_of(request)
        if u is None:
            return 404, {"statusCode": 404, "message": "No user found"}, {}
        groups = []
        for g in self.groups:
            if u["n"] in g["members"]:
                group = {"type": "group", "name": g["name"]}
                if self.cloud:
                    group["id"] = g["id"]
                groups.append(group)
        return 200, self.page(request, groups, "/rest/api/user/memberof", 200, 200), {}

    def cloud_users(self, request):
        start, limit = request.int_arg("startAt", 0), request.int_arg("maxResults", 50)
        users = [{"accountId": u["account"], "accountType": "atlassian", "active": True,
                  "displayName": u["display"], "emailAddress": u["email"]} for u in self.users]
        # An app account: not a person, no identity document.
        users.append({"accountId": "app-1", "accountType": "app", "active": True,
                      "displayName": "Automation"})
        return 200, users[start:start + limit], {}

    def server_users(self, request):
        users = [{"type": "known", "username": u["name"], "userKey": f"key-{u['n']}",
                  "displayName": u["display"]} for u in self.users]
        return 200, self.page(request, users, "/rest/api/user/list", 200, 200), {}
