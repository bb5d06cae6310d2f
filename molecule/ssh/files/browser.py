"""A person's browser for the tests: runs steps against a site over HTTPS and prints what it saw.

Usage (on the host): python3 -c "$(cat browser.py)" JAR CA BASE_URL STEPS_JSON
  JAR: a cookie file kept between calls (the login survives deploys when the session does);
  CA: the certificate the site is verified against; BASE_URL: https://name.
  STEPS_JSON: a list of {"get": PATH} or {"post": PATH, "data": {...}, "csrf": bool}. With
  csrf, the form page is fetched first and its csrfmiddlewaretoken sent back (Django).
Redirects are not followed (their status and Location are the answer). Prints one JSON list:
{"status", "location", "body"} per step. Standard library only.
"""

import http.cookiejar
import json
import re
import ssl
import sys
import urllib.error
import urllib.parse
import urllib.request


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def main() -> int:
    jar_file, ca, base, steps = sys.argv[1], sys.argv[2], sys.argv[3], json.loads(sys.argv[4])
    jar = http.cookiejar.MozillaCookieJar(jar_file)
    try:
        jar.load(ignore_discard=True, ignore_expires=True)
    except FileNotFoundError:
        pass
    context = ssl.create_default_context(cafile=ca)
    opener = urllib.request.build_opener(
        urllib.request.HTTPSHandler(context=context), urllib.request.HTTPCookieProcessor(jar), NoRedirect
    )

    def fetch(path, data=None):
        headers = {"User-Agent": "pywebstack-test-browser", "Referer": base + path, "Origin": base}
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(base + path, data=body, headers=headers)
        try:
            response = opener.open(request, timeout=20)
        except urllib.error.HTTPError as err:
            response = err
        return {
            "status": response.status if hasattr(response, "status") else response.code,
            "location": response.headers.get("Location", ""),
            "body": response.read().decode("utf-8", "replace"),
        }

    results = []
    for step in steps:
        if "get" in step:
            results.append(fetch(step["get"]))
            continue
        data = dict(step.get("data", {}))
        if step.get("csrf"):
            page = fetch(step["post"])
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page["body"])
            data["csrfmiddlewaretoken"] = token.group(1) if token else ""
        results.append(fetch(step["post"], data))
    jar.save(ignore_discard=True, ignore_expires=True)
    for result in results:
        result["body"] = result["body"][:20000]
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
