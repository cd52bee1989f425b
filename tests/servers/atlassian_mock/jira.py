"""Jira's REST API as Cloud and Server answer it. Cloud: issue search only at
/rest/api/3/search/jql with nextPageToken (the old /rest/api/{2,3}/search
answer 410, as after Atlassian's CHANGE-2046), attachments redirected to a
media host; Server: /rest/api/2/search with startAt (maxResults capped at 50),
/secure/attachment. Projects (one archived), issues with comments (the search
holds the first two, the comment listing pages by 50), attachments,
permissions, roles, security levels, users and groups, and a small JQL.
Shapes follow Atlassian's documented examples (developer.atlassian.com, "Jira
Cloud platform REST API v2/v3", "Jira Server platform REST API")."""

import base64
import re

from mock_base import Mock, jira_error, letters, people, real_file

GONE = jira_error("The requested API has been removed. Please migrate to the /rest/api/3/search/jql "
                  "API. A full migration guideline is available at "
                  "https://developer.atlassian.com/changelog/#CHANGE-2046")


class Jira(Mock):
    def __init__(self, deployment, user, secret, projects=10, issues=100, file_size=500000,
                 users=4, latency_ms=0, comments=5):
        super().__init__(deployment, user, secret, latency_ms)
        self.public_paths = ("/_media/",)
        self.file_size = file_size
        self.comment_count = comments  # on every third issue; the others have one
        self.users, self.groups = people(users, "jira-software-users", "developers")
        self.projects = {}
        for i in range(projects):
            key = f"P{i}"
            self.projects[key] = {"id": str(10000 + i), "key": key, "name": f"Demo Project {i}",
                                  "archived": False}
        self.projects["ARCH"] = {"id": "19999", "key": "ARCH", "name": "Archived project",
                                 "archived": True}
        self.issues = {}
        self.per_project = {}
        live = [k for k, p in self.projects.items() if not p["archived"]]
        for j in range(issues):
            self.add_issue(live[j % min(len(live), 10)], j)
        self.add_issue("ARCH", 0)  # never listed: its project is archived
        archived = self.add_issue(live[0], issues + 1)
        archived["archived"] = True  # listed by the search, marked archived
        self.route("GET", r"/rest/api/2/myself", self.myself)
        self.route("GET", r"/rest/api/2/project", self.list_projects)
        self.route("GET", r"/rest/api/2/user/permission/search", self.browse_users)
        self.route("GET", r"/rest/api/2/project/([A-Z0-9]+)/role", self.roles)
        self.route("GET", r"/rest/api/2/project/([A-Z0-9]+)/role/(\d+)", self.role)
        self.route("GET", r"/rest/api/2/issue/([A-Z0-9]+-\d+)/comment", self.comments)
        if self.cloud:
            # Cloud answers v2 and v3 alike here, but for rich text (v3: ADF objects),
            # which the mock leaves as v2's strings.
            self.route("GET", r"/rest/api/3/issue/([A-Z0-9]+-\d+)/comment", self.comments)
            self.route("GET", r"/rest/api/2/search/jql", self.search_jql)
            self.route("GET", r"/rest/api/3/search/jql", self.search_jql)
            self.route("GET", r"/rest/api/2/search", lambda r: (410, GONE, {}))
            self.route("GET", r"/rest/api/3/search", lambda r: (410, GONE, {}))
            self.route("GET", r"/rest/api/2/attachment/content/(\d+)", self.content)
            self.route("GET", r"/_media/file/(\d+)", self.media)
            self.route("GET", r"/rest/api/3/issuesecurityschemes/level/member", self.level_members)
            self.route("GET", r"/rest/api/3/users/search", self.cloud_users)
            self.route("GET", r"/rest/api/3/user/groups", self.cloud_groups)
        else:
            self.route("GET", r"/rest/api/2/search", self.search_offset)
            self.route("GET", r"/secure/attachment/(\d+)/([^/]+)", self.server_content)
            self.route("GET", r"/rest/api/2/user/search", self.server_users)
            self.route("GET", r"/rest/api/2/user", self.server_user)

    # --- data ---------------------------------------------------------------------------
    def add_issue(self, project, j):
        self.per_project[project] = n = self.per_project.get(project, 0) + 1
        key = f"{project}-{n}"
        iid = 20000 + len(self.issues)
        if j == 0 and project != "ARCH":
            name, body, media = real_file(0)
        elif j < 4 and project != "ARCH":
            name, body, media = real_file(j)
        else:
            name, body, media = "dummy_file.txt", None, "text/plain"
        issue = {"id": str(iid), "key": key, "project": project, "type": "Bug" if j % 2 else "Task",
                 "summary": f"Issue {j}", "updated": "2023-02-10T00:10:11.027+0530",
                 "comments": [f"Comment {c} on {key}"
                              for c in range(self.comment_count if j % 3 == 0 else 1)],
                 "files": [{"id": str(30000 + iid), "filename": name, "body": body, "media": media,
                            "created": "2023-02-09T08:33:57.284+0000"}],
                 "security": "10100" if j % 13 == 5 else None, "archived": False}
        self.issues[key] = issue
        return issue

    def change_round(self):
        """Deletes a project (and its issues) and one issue; edits two issues."""
        changed, deleted = [], []
        live = [k for k, p in self.projects.items() if not p["archived"]]
        if len(live) > 2:
            gone = self.projects.pop(live[-1])
            deleted.append(f"project-{gone['id']}")
            for key in [k for k, i in self.issues.items() if i["project"] == gone["key"]]:
                issue = self.issues.pop(key)
                deleted.append(f"{gone['name']}-{key}")
                deleted += [f"{key}-{f['id']}" for f in issue["files"]]
        keys = [k for k, i in self.issues.items() if i["project"] == live[0] and not i["archived"]]
        issue = self.issues.pop(keys[-1])
        deleted.append(f"{self.projects[live[0]]['name']}-{issue['key']}")
        deleted += [f"{issue['key']}-{f['id']}" for f in issue["files"]]
        for key in keys[1:3]:
            self.issues[key]["summary"] += " (edited)"
            self.issues[key]["updated"] = "2024-06-01T12:00:00.000+0000"
            changed.append(f"{self.projects[live[0]]['name']}-{key}")
        return {"changed": changed, "deleted": deleted}

    def project_readers(self, key):
        index = int(self.projects[key]["id"]) - 10000
        if index % 2 == 0:  # user 3, the developers (0, 1), the viewers (everyone)
            return set(range(len(self.users)))
        return set(self.groups[1]["members"])

    def visible(self, user):
        n = next((u["n"] for u in self.users if user in (u["account"], u["name"])), None)
        if n is None:
            return []
        ids = [f"project-{p['id']}" for k, p in self.projects.items()
               if not p["archived"] and n in self.project_readers(k)]
        for key, issue in self.issues.items():
            p = self.projects[issue["project"]]
            if p["archived"] or issue["archived"]:
                continue
            if issue["security"]:
                # Cloud: the level's members (user 1) and the reporter (user 2); Server lists
                # no level members, so nobody.
                allowed = self.cloud and n in (1, 2)
            else:
                allowed = n in self.project_readers(issue["project"])
            if allowed:
                ids += [f"{p['name']}-{key}"] + [f"{key}-{f['id']}" for f in issue["files"]]
        return ids

    def expected(self, request, sample):
        ids, docs = [], []
        for p in self.projects.values():
            if p["archived"]:
                continue
            ids.append(f"project-{p['id']}")
            if len(docs) < sample:
                docs.append({"id": f"project-{p['id']}", "fields": {
                    "Type": "Project", "Project": self.project_json(p, request),
                    "_timestamp": {"$iso8601": True}}})
        issues = 0
        for key, issue in self.issues.items():
            p = self.projects[issue["project"]]
            if p["archived"] or issue["archived"]:
                continue
            ids.append(f"{p['name']}-{key}")
            files = [f"{key}-{f['id']}" for f in issue["files"]]
            ids += files
            if issues >= sample:
                continue
            issues += 1
            fields = self.issue_json(issue, request)["fields"]
            comment = fields["comment"]
            if comment["total"] > len(comment["comments"]):  # the source asks for the rest
                comment["comments"] = [self.comment_json(issue, c, t)
                                       for c, t in enumerate(issue["comments"])]
                comment["maxResults"], comment["startAt"] = len(comment["comments"]), 0
            docs.append({"id": f"{p['name']}-{key}", "fields": {
                "Type": issue["type"], "Issue": fields, "_timestamp": issue["updated"]}})
            for f, doc_id in zip(issue["files"], files):
                size = len(f["body"]) if f["body"] is not None else self.file_size
                docs.append({"id": doc_id, "fields": {
                    "title": f["filename"], "Type": "Attachment", "issue": key, "size": size,
                    "_timestamp": f["created"],
                    "body": {"$exists": True} if f["body"] is not None
                    else letters(int(f["id"]), self.file_size).decode()}})
        return {"ids": ids, "docs": docs}

    # --- shapes ---------------------------------------------------------------------------
    def user_json(self, u):
        if self.cloud:
            return {"accountId": u["account"], "accountType": "atlassian", "active": True,
                    "displayName": u["display"], "emailAddress": u["email"]}
        return {"name": u["name"], "key": f"key-{u['n']}", "active": True,
                "displayName": u["display"], "emailAddress": u["email"]}

    def project_json(self, p, request):
        out = {"id": p["id"], "key": p["key"], "name": p["name"], "projectTypeKey": "software",
               "self": f"{self.scheme}://{request.host}/rest/api/2/project/{p['id']}",
               "description": f"The {p['name']}", "lead": self.user_json(self.users[0])}
        if p["archived"]:
            out["archived"] = True
        return out

    @staticmethod
    def rich_text(request, text):
        """Version 3 gives rich text as an Atlassian Document Format object, 2 as a string."""
        if request is not None and request.path.startswith("/rest/api/3/"):
            return {"type": "doc", "version": 1, "content": [
                {"type": "paragraph", "content": [{"type": "text", "text": text}]}]}
        return text

    def comment_json(self, issue, c, text, request=None):
        return {"id": str(int(issue["id"]) * 10 + c), "author": self.user_json(self.users[0]),
                "body": self.rich_text(request, text), "created": "2023-02-09T08:33:57.284+0000",
                "updated": "2023-02-09T08:33:57.284+0000"}

    def issue_json(self, issue, request):
        p = self.projects[issue["project"]]
        comments = [self.comment_json(issue, c, t, request) for c, t in enumerate(issue["comments"])]
        fields = {"summary": issue["summary"], "updated": issue["updated"],
                  "description": self.rich_text(request, f"What {issue['key']} is about"),
                  "created": "2023-02-09T08:33:57.284+0000",
                  "issuetype": {"id": "1", "name": issue["type"]},
                  "project": {"id": p["id"], "key": p["key"], "name": p["name"]},
                  "status": {"name": "To Do"}, "reporter": self.user_json(self.users[2]),
                  "assignee": None, "customfield_10020": None,
                  "comment": {"comments": comments[:2], "maxResults": 2, "total": len(comments),
                              "startAt": 0},
                  "attachment": [{"id": f["id"], "filename": f["filename"],
                                  "size": len(f["body"]) if f["body"] is not None else self.file_size,
                                  "mimeType": f["media"], "created": f["created"],
                                  "content": f"{self.scheme}://{request.host}/secure/attachment/{f['id']}/{f['filename']}"}
                                 for f in issue["files"]]}
        if issue["security"]:
            fields["security"] = {"id": issue["security"], "name": "Internal"}
        if issue["archived"]:
            fields["archiveddate"] = "2024-01-01T00:00:00.000+0000"
        return {"id": issue["id"], "key": issue["key"], "fields": fields}

    # --- JQL ------------------------------------------------------------------------------
    def parse_jql(self, jql):
        clauses = re.split(r"\s+AND\s+", jql.strip(), flags=re.IGNORECASE)
        tests = []
        for clause in clauses:
            clause = clause.strip()
            if re.fullmatch(r"key\s+IS\s+NOT\s+EMPTY", clause, flags=re.IGNORECASE):
                continue
            m = re.fullmatch(r'project\s*=\s*"?([A-Z0-9]+)"?', clause)
            if m:
                tests.append(lambda i, k=m.group(1): i["project"] == k)
                continue
            m = re.fullmatch(r'project\s+in\s*\(([^)]*)\)', clause, flags=re.IGNORECASE)
            if m:
                keys = {k.strip().strip('"') for k in m.group(1).split(",")}
                tests.append(lambda i, ks=keys: i["project"] in ks)
                continue
            m = re.fullmatch(r'(?:issuetype|type)\s*=\s*"?(\w+)"?', clause)
            if m:
                tests.append(lambda i, t=m.group(1): i["type"] == t)
                continue
            m = re.fullmatch(r'key\s*=\s*"?([A-Z0-9]+-\d+)"?', clause)
            if m:
                tests.append(lambda i, k=m.group(1): i["key"] == k)
                continue
            return None, jira_error(f"Error in the JQL Query: Expecting a field name but got "
                                    f"'{clause.split()[0] if clause else ''}'.")
        return (lambda i: all(t(i) for t in tests)), None

    def found(self, request):
        test, error = self.parse_jql(request.arg("jql", ""))
        if error:
            return None, error
        # Search answers nothing of archived projects (Jira hides them).
        return [i for i in self.issues.values()
                if not self.projects.get(i["project"], {"archived": True})["archived"] and test(i)], None

    # --- handlers -------------------------------------------------------------------------
    def myself(self, request):
        return 200, {**self.user_json(self.users[0]), "timeZone": "Asia/Calcutta"}, {}

    def list_projects(self, request):
        return 200, [self.project_json(p, request) for p in self.projects.values()], {}

    def search_jql(self, request):
        issues, error = self.found(request)
        if error:
            return 400, error, {}
        limit = min(request.int_arg("maxResults", 50), 100)
        token = request.arg("nextPageToken")
        start = int(base64.b64decode(token).decode()) if token else 0
        page = issues[start:start + limit]
        body = {"issues": [self.issue_json(i, request) for i in page],
                "isLast": start + limit >= len(issues)}
        if not body["isLast"]:
            body["nextPageToken"] = base64.b64encode(str(start + limit).encode()).decode()
        return 200, body, {}

    def search_offset(self, request):
        issues, error = self.found(request)
        if error:
            return 400, error, {}
        start, limit = request.int_arg("startAt", 0), min(request.int_arg("maxResults", 50), 50)
        return 200, {"expand": "names,schema", "startAt": start, "maxResults": limit,
                     "total": len(issues),
                     "issues": [self.issue_json(i, request) for i in issues[start:start + limit]]}, {}

    def comments(self, request, key):
        issue = self.issues.get(key)
        if issue is None:
            return 404, jira_error("Issue does not exist or you do not have permission to see it."), {}
        start, limit = request.int_arg("startAt", 0), min(request.int_arg("maxResults", 50), 50)
        all_comments = [self.comment_json(issue, c, t, request) for c, t in enumerate(issue["comments"])]
        return 200, {"comments": all_comments[start:start + limit], "startAt": start,
                     "maxResults": limit, "total": len(all_comments)}, {}

    def file_of(self, attachment_id):
        for issue in self.issues.values():
            for f in issue["files"]:
                if f["id"] == attachment_id:
                    body = f["body"] if f["body"] is not None else letters(int(attachment_id), self.file_size)
                    return f, body
        return None, None

    def content(self, request, attachment_id):
        f, _ = self.file_of(attachment_id)
        if f is None:
            return 404, jira_error("The attachment does not exist."), {}
        return 303, "", {"Location": f"{self.scheme}://localhost:{self.port}/_media/file/{attachment_id}"
                                     f"?token=media-{attachment_id}"}

    def media(self, request, attachment_id):
        if request.arg("token") != f"media-{attachment_id}" or "Authorization" in request.headers:
            return 403, {"message": "bad media token or credentials sent to the media host"}, {}
        f, body = self.file_of(attachment_id)
        return (200, body, {"Content-Type": f["media"]}) if f else (404, {"message": "not found"}, {})

    def server_content(self, request, attachment_id, name):
        f, body = self.file_of(attachment_id)
        if f is None or f["filename"] != name:
            return 404, jira_error("The attachment does not exist."), {}
        return 200, body, {"Content-Type": f["media"]}

    # --- permissions ----------------------------------------------------------------------
    def browse_users(self, request):
        key = request.arg("projectKey")
        if key not in self.projects:
            return 404, jira_error(f"No project could be found with key '{key}'."), {}
        if request.arg("permissions") not in ("BROWSE_PROJECTS", "BROWSE"):
            return 400, jira_error("Invalid permissions"), {}
        # Even projects: user 3 may browse directly; odd ones: nobody beyond the roles.
        index = int(self.projects[key]["id"]) - 10000
        users = [self.user_json(self.users[3])] if index % 2 == 0 and len(self.users) > 3 else []
        start, limit = request.int_arg("startAt", 0), request.int_arg("maxResults", 50)
        return 200, users[start:start + limit], {}

    def roles(self, request, key):
        if key not in self.projects:
            return 404, jira_error(f"No project could be found with key '{key}'."), {}
        base = f"{self.scheme}://{request.host}/rest/api/2/project/{key}/role"
        return 200, {"Developers": f"{base}/10100", "Viewers": f"{base}/10200"}, {}

    def role(self, request, key, role_id):
        if key not in self.projects:
            return 404, jira_error(f"No project could be found with key '{key}'."), {}
        g = self.groups[1] if role_id == "10100" else self.groups[0]
        index = int(self.projects[key]["id"]) - 10000
        if role_id == "10200" and index % 2 == 1:
            return 200, {"id": int(role_id), "name": "Viewers", "actors": []}, {}
        group = {"name": g["name"], "displayName": g["name"]}
        if self.cloud:
            group["groupId"] = g["id"]
        actors = [{"id": 1, "type": "atlassian-group-role-actor", "name": g["name"],
                   "displayName": g["name"], "actorGroup": group}]
        return 200, {"id": int(role_id), "name": "Developers" if role_id == "10100" else "Viewers",
                     "actors": actors}, {}

    def level_members(self, request):
        if request.arg("levelId") != "10100":
            return 200, {"values": [], "startAt": 0, "maxResults": 50, "total": 0, "isLast": True}, {}
        values = [{"id": "1", "issueSecurityLevelId": "10100", "issueSecuritySchemeId": "10000",
                   "holder": {"type": "user", "parameter": self.users[1]["account"],
                              "value": self.users[1]["account"]}},
                  {"id": "2", "issueSecurityLevelId": "10100", "issueSecuritySchemeId": "10000",
                   "holder": {"type": "reporter"}}]
        start, limit = request.int_arg("startAt", 0), min(request.int_arg("maxResults", 50), 1)
        page = values[start:start + limit]
        return 200, {"values": page, "startAt": start, "maxResults": limit, "total": len(values),
                     "isLast": start + limit >= len(values)}, {}

    def groups_of(self, u):
        return [g for g in self.groups if u["n"] in g["members"]]

    def cloud_users(self, request):
        start, limit = request.int_arg("startAt", 0), request.int_arg("maxResults", 50)
        users = [self.user_json(u) for u in self.users]
        users.append({"accountId": "app-1", "accountType": "app", "active": True,
                      "displayName": "Automation"})
        return 200, users[start:start + limit], {}

    def cloud_groups(self, request):
        for u in self.users:
            if u["account"] == request.arg("accountId"):
                return 200, [{"name": g["name"], "groupId": g["id"]} for g in self.groups_of(u)], {}
        return 404, jira_error("User does not exist."), {}

    def server_users(self, request):
        if request.arg("username") is None:
            return 400, jira_error("The username query parameter was not provided"), {}
        start, limit = request.int_arg("startAt", 0), request.int_arg("maxResults", 50)
        users = [self.user_json(u) for u in self.users]
        return 200, users[start:start + limit], {}

    def server_user(self, request):
        for u in self.users:
            if u["name"] == request.arg("username"):
                groups = [{"name": g["name"]} for g in self.groups_of(u)]
                return 200, {**self.user_json(u),
                             "groups": {"size": len(groups), "items": groups}}, {}
        return 404, jira_error("User does not exist."), {}
