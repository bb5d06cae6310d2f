# -*- coding: utf-8 -*-
# Copyright: pywebstack maintainers
# MIT License (see galaxy.yml)
"""Filters web_sites and acme_certificates (a web host's sites and certificates, from the app model)
and drainable (which of a deploy batch's sockets the web tier may take out of its upstreams)."""

from __future__ import annotations

from ansible_collections.pywebstack.webstack.plugins.plugin_utils import app_model as model


class FilterModule:
    """The web tier's view of the app model."""

    def filters(self):
        return {
            'web_sites': model.web_sites,
            'acme_certificates': model.acme_certificates,
            'drainable': model.drainable,
        }
