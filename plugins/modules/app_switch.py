#!/usr/bin/python
# Copyright: (c) 2026, pywebstack maintainers
# MIT License (see galaxy.yml)
# SPDX-License-Identifier: MIT
"""The app role's switch: mark a release complete and make it live, in one round trip."""

from __future__ import annotations

DOCUMENTATION = r"""
---
module: app_switch
short_description: Mark an app's release complete and make it the live one
version_added: 1.5.0
description:
  - What the P(pywebstack.webstack.app#role) role does once a release loaded and its commands ran, in one round trip
    instead of five tasks - write the release's marker, point the live link at the release (a new link renamed over
    the old one, so the switch is atomic), remember the release that was live before, date the release by when it
    went live and remove the releases beyond the ones kept.
  - The link is replaced only when it points elsewhere; the rest of a switch happens only then.
author:
  - pywebstack maintainers (@pywebstack)
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
    details: Under C(--check) it says what it would change and changes nothing.
  diff_mode:
    support: none
  platform:
    platforms: debian
options:
  release:
    description: The release directory to make live.
    type: path
    required: true
  link:
    description: The live link (the app's C(current)).
    type: path
    required: true
  group:
    description: The group of the marker and of the live link (both owned by root).
    type: str
    required: true
  marker:
    description:
      - The content of the release's C(.complete) marker (mode C(0644)), written before the switch when given and
        different from the file's.
    type: str
  previous:
    description: A link pointed at the release that was live before, when the switch replaced one.
    type: path
  touch:
    description: Files whose modification time is set to now after a switch (root's, the O(group)'s, mode C(0644)); made when missing.
    type: list
    elements: path
    default: []
  prune:
    description:
      - Release directories removed after a switch. Never O(release), nor the release that was live before.
    type: list
    elements: path
    default: []
"""

EXAMPLES = r"""
- name: Mark the release complete and make it live
  pywebstack.webstack.app_switch:
    release: /srv/shop/releases/6f1d0c2a9b3e
    link: /srv/shop/current
    group: shop
    marker: "6f1d0c2a9b3e shop.wsgi:application\n"
    previous: /srv/shop/releases/previous
    prune: [/srv/shop/releases/0a1b2c3d4e5f]
  register: __app_switch
"""

RETURN = r"""
marked:
  description: Whether the marker was written (or would be, under C(--check)).
  returned: always
  type: bool
switched:
  description: Whether the live link was pointed at O(release) (or would be, under C(--check)).
  returned: always
  type: bool
before:
  description: The release the live link pointed to before (resolved); empty when there was none.
  returned: always
  type: str
  sample: /srv/shop/releases/0a1b2c3d4e5f
pruned:
  description: The release directories removed (or that would be).
  returned: always
  type: list
  elements: str
"""

import grp
import os
import shutil
import time

from ansible.module_utils.basic import AnsibleModule

# The owner of the marker and of the live link (the tests set their own user's).
OWNER = 0


def write_file(path: str, content: bytes, gid: int, mode: int) -> bool:
    """Write content to path (a temporary file renamed over it) unless it already holds
    it with that group and mode; True when written."""
    try:
        st = os.stat(path)
        with open(path, "rb") as handle:
            if handle.read() == content and st.st_gid == gid and st.st_uid == OWNER and st.st_mode & 0o7777 == mode:
                return False
    except OSError:
        pass
    temporary = path + ".pywebstack-tmp"
    with open(temporary, "wb") as handle:
        handle.write(content)
        handle.flush()
        os.fsync(handle.fileno())
    os.chown(temporary, OWNER, gid)
    os.chmod(temporary, mode)
    os.rename(temporary, path)
    return True


def point_link(link: str, target: str, gid: int = -1) -> None:
    """Point link at target atomically: a new link is renamed over the old one."""
    temporary = link + ".pywebstack-tmp"
    if os.path.lexists(temporary):
        os.unlink(temporary)
    os.symlink(target, temporary)
    if gid >= 0:
        os.lchown(temporary, OWNER, gid)
    os.rename(temporary, link)


def live_target(link: str) -> str:
    """The release the link points to, resolved; empty when there is no link."""
    return os.path.realpath(link) if os.path.islink(link) else ""


def switch(params: dict, gid: int, check: bool, now=None) -> dict:
    """Mark and switch as the options say; returns what changed. Dates are now (after the
    link was made) unless given."""
    target = params["release"]
    release = os.path.realpath(target)
    link = params["link"]
    if os.path.lexists(link) and not os.path.islink(link):
        raise ValueError(f"{link} is not a link: the app's live release must be a link to a release directory")
    # Under --check a new release was not unpacked: what would be switched to is not there yet.
    if not os.path.isdir(release) and not check:
        raise ValueError(f"{target} is not a directory: no release to make live")
    result = {"marked": False, "switched": False, "before": live_target(link), "pruned": []}

    if params["marker"] is not None:
        path = os.path.join(release, ".complete")
        content = params["marker"].encode()
        if check:
            try:
                with open(path, "rb") as handle:
                    result["marked"] = handle.read() != content
            except OSError:
                result["marked"] = True
        else:
            result["marked"] = write_file(path, content, gid, 0o644)

    if result["before"] == release:
        return result
    result["switched"] = True
    keep = {release, result["before"]}
    result["pruned"] = [path for path in params["prune"] if os.path.realpath(path) not in keep and os.path.isdir(path)]
    if check:
        return result

    point_link(link, target, gid)
    if result["before"] and params["previous"]:
        point_link(params["previous"], result["before"])
    # Dated after the link was made: the probe owes a reload when the link is newer than
    # the reload file (a run cut before its handler).
    stamp = time.time() if now is None else now
    os.chmod(release, 0o755)
    os.utime(release, (stamp, stamp))
    for path in params["touch"]:
        if not os.path.exists(path):
            write_file(path, b"", gid, 0o644)
        os.utime(path, (stamp, stamp))
    for path in result["pruned"]:
        shutil.rmtree(path)
    return result


def main() -> None:
    module = AnsibleModule(
        argument_spec={
            "release": {"type": "path", "required": True},
            "link": {"type": "path", "required": True},
            "group": {"type": "str", "required": True},
            "marker": {"type": "str"},
            "previous": {"type": "path"},
            "touch": {"type": "list", "elements": "path", "default": []},
            "prune": {"type": "list", "elements": "path", "default": []},
        },
        supports_check_mode=True,
    )
    try:
        gid = grp.getgrnam(module.params["group"]).gr_gid
    except KeyError:
        if not module.check_mode:
            module.fail_json(msg=f"group {module.params['group']} does not exist")
        gid = -1
    try:
        result = switch(module.params, gid, module.check_mode)
    except (OSError, ValueError) as error:
        module.fail_json(msg=f"the release was not made live: {error}")
    module.exit_json(changed=result["marked"] or result["switched"], **result)


if __name__ == "__main__":
    main()
