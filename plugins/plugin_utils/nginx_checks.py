# -*- coding: utf-8 -*-
# Copyright: pywebstack maintainers
# MIT License (see galaxy.yml)
"""The nginx role's checks of its settings, as plain Python: the action plugin
pywebstack.webstack.nginx_check runs them on the controller, and its tests import them.

They were three `assert` tasks whose conditions and messages were Jinja tables; compiling
and rendering those cost about 0.7 s of controller time per run. Each function takes plain
values (the role's variables as the task passes them) and returns refusal messages; the
messages are the ones the tasks printed, word for word, and a list or a boolean in one is
printed as Jinja printed it (['a', 'b'], True). Every regex is the task's: `match` is
re.match (anchored at the start only), `search` is re.search. Where the tasks compared with
Ansible's `unique` filter, which ignores case, so do these.

Given certificates and keys (tls.source content) are read with the `cryptography` package,
as community.crypto's x509_certificate_info and openssl_privatekey_info read them. A key is
never printed, and neither is anything read from it.
"""

from __future__ import annotations

import datetime
import re

try:
    from cryptography import x509
    from cryptography.exceptions import UnsupportedAlgorithm
    from cryptography.hazmat.primitives import serialization
    from cryptography.x509.oid import AuthorityInformationAccessOID
except ImportError as exc:  # ansible-core requires it; ansible-test's import check runs without it
    CRYPTOGRAPHY_IMPORT_ERROR = exc
else:
    CRYPTOGRAPHY_IMPORT_ERROR = None

# community.crypto's x509_certificate_info prints dates this way, and so did the messages.
TIMESTAMP_FORMAT = '%Y%m%d%H%M%SZ'

_SITE_NAME = re.compile(r'^[A-Za-z0-9][A-Za-z0-9_.-]*$')
# Every value goes into the site's file as it is: what Nginx's syntax would read as the end
# of a directive (;), a block ({ }), a quote or a comment (#) is refused, so a value cannot
# add directives (a regex server name may hold other characters, not these).
_SERVER_NAME = re.compile(r'^(_|\*?[A-Za-z0-9.-]+\.?|~[^\s;{}"\'#]+)$')
_UWSGI_PASS = re.compile(r'^(unix:/[A-Za-z0-9_./-]+|[A-Za-z0-9_.-]+:[0-9]+|\[[0-9a-fA-F:]+\]:[0-9]+)$')
_LISTEN = re.compile(r'^((\[[0-9a-fA-F:]+\]|[0-9.]+|\*):)?[0-9]+$')
_LOCATION = re.compile(r'^/[A-Za-z0-9._~/-]*$')
_ALIAS = re.compile(r'^/[A-Za-z0-9._~/-]+$')
_TLS_PATH = re.compile(r'^/[A-Za-z0-9._~/@+=-]+$')
_HEADER_NAME = re.compile(r'^[A-Za-z0-9-]+$')
_HEADER_VALUE_BAD = re.compile(r'["\\\n]')
_UPSTREAM_NAME = re.compile(r'^[A-Za-z0-9_-]+$')
_UPSTREAM_SERVER = re.compile(r'^([A-Za-z0-9_.-]+|\[[0-9a-fA-F:]+\]):[0-9]+$')
_UPSTREAM_ANY = re.compile(r'^(0\.0\.0\.0|\[::\]):')
_HOST_VALUE_BAD = re.compile('[;{}#"\'\n\r]')
_LOG_FORMAT_BAD = re.compile('[;{}\n\r]')
_PEM_CERTIFICATE = '-----BEGIN CERTIFICATE-----'


def plain(value):
    """A value with Ansible's own types (tagged strings, lazy containers) made plain, and
    tuples made lists (as a template prints them)."""
    if isinstance(value, str):
        return str(value)
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, dict) or hasattr(value, 'items'):
        return {plain(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return value


def _text(value):
    """What Jinja's `match`/`search` tests and the `string` filter see: the value as text."""
    return value if isinstance(value, str) else str(value)


def _show(value):
    """A value as a template printed it inside a message."""
    return str(plain(value))


def _matches(pattern, value):
    return pattern.match(_text(value)) is not None


def _searches(pattern, value):
    return pattern.search(_text(value)) is not None


def _fold(value):
    """The key Ansible's `unique` filter compares by (Jinja's: strings ignore case)."""
    return value.lower() if isinstance(value, str) else value


def unique(values):
    """Ansible's `unique` filter: the first of each value, case ignored for strings."""
    seen, kept = set(), []
    for value in values:
        key = _fold(value)
        if key not in seen:
            seen.add(key)
            kept.append(value)
    return kept


def duplicates(values):
    """The values found more than once (case ignored, as `unique` does), each once, in the
    order they first repeat, as written where they repeat."""
    seen, named, repeated = set(), set(), []
    for value in values:
        key = _fold(value)
        if key in seen and key not in named:
            named.add(key)
            repeated.append(value)
        seen.add(key)
    return repeated


def _present(sites):
    return [site for site in sites if site.get('state') == 'present']


def _tls(site):
    return site.get('tls') or {}


def _given(value):
    """A tls text or path as the checks measure it: absent or null is empty."""
    return '' if value is None else _text(value)


def site_refusals(site, upstream_names):
    """The failed checks of one present site (its optional keys filled in, as the role's
    __nginx_sites has them), each a message, in the order the task named them."""
    name = site['name']
    tls = _tls(site)
    refused = []

    server_names = site['server_name']
    if not (_matches(_SITE_NAME, name)
            and not [n for n in server_names if not _matches(_SERVER_NAME, n)]
            and '0.0.0.0' not in server_names
            and (_matches(_UWSGI_PASS, site['uwsgi_pass']) or site['uwsgi_pass'] in upstream_names)
            and not [port for port in site['listen'] if not _matches(_LISTEN, _text(port))]):
        refused.append(
            "nginx_sites entry '%s': the name must be a plain file name; server_name host names (not addresses "
            "like the article's 0.0.0.0) or a regex (~...) without spaces, ; { } quotes or # (got %s); uwsgi_pass "
            "unix:/path, host:port or the name of one of nginx_upstreams (got '%s'); listen ports or ADDRESS:PORT "
            "(got %s)." % (_text(name), _show(server_names), _text(site['uwsgi_pass']), _show(site['listen'])))

    # A location without a trailing slash whose alias has one (/static -> .../static/)
    # serves /static../ from the directory above: the app's source code (gixy: alias_traversal).
    locations = [entry['location'] for entry in site['static']]
    aliases = [entry['alias'] for entry in site['static']]
    tls_paths = [p for p in (tls.get('certificate_path', ''), tls.get('key_path', ''), tls.get('chain_path', '')) if p]
    if not (not [p for p in locations if not _matches(_LOCATION, p)]
            and not [p for p in aliases if not _matches(_ALIAS, p)]
            and [_text(p).endswith('/') for p in locations] == [_text(p).endswith('/') for p in aliases]
            and not [p for p in site['unlimited'] if not _matches(_LOCATION, p)]
            and not [p for p in tls_paths if not _matches(_TLS_PATH, p)]):
        refused.append(
            "nginx_sites entry '%s': each static location and its alias must both end with a slash or both not "
            "(got %s), and locations, aliases, unlimited paths and TLS file paths must be absolute paths of letters, "
            "digits and ._~/- only (unlimited: %s, TLS files: %s)."
            % (_text(name), _show(list(zip(locations, aliases))), _show(site['unlimited']), _show(tls_paths)))

    # A certificate is useless without its key.
    source = tls.get('source', '')
    if tls and not ((source != 'content' or (_given(tls.get('certificate')) and _given(tls.get('key'))))
                    and (source != 'path' or (_given(tls.get('certificate_path')) and _given(tls.get('key_path'))))
                    and (source != 'content' or _PEM_CERTIFICATE in _given(tls.get('certificate')))):
        certificate = tls['certificate'] if 'certificate' in tls else tls.get('certificate_path', '')
        key = tls['key'] if 'key' in tls else tls.get('key_path', '')
        refused.append(
            "nginx_sites entry '%s': tls.source %s needs both %s: a certificate is useless without its key\n"
            "(certificate given: %s, key given: %s)."
            % (_text(name), _text(source),
               'tls.certificate and tls.key (PEM text; the key from vault)' if source == 'content'
               else 'tls.certificate_path and tls.key_path',
               len(_given(certificate)) > 0, len(_given(key)) > 0))

    headers = site['security_headers']
    bad_headers = ([h for h in headers if not _matches(_HEADER_NAME, h['name'])]
                   + [h for h in headers if _searches(_HEADER_VALUE_BAD, h['value'])])
    if bad_headers:
        refused.append(
            "security header %s: the name must be letters, digits and dashes and the value must not hold a double "
            "quote, backslash or newline (got %s)."
            % (', '.join(_text(n) for n in unique([h['name'] for h in bad_headers])),
               _show(unique([h['value'] for h in bad_headers]))))
    return refused


def upstream_refusal(upstream):
    """The message refusing one nginx_upstreams entry, or None."""
    servers = upstream['servers']
    if (_matches(_UPSTREAM_NAME, upstream['name'])
            and len(servers) > 0
            and all(_matches(_UPSTREAM_SERVER, s) for s in servers)
            and not any(_matches(_UPSTREAM_ANY, s) for s in servers)):
        return None
    return ("nginx_upstreams entry '%s': the name must be letters, digits, _ or -, and servers a non-empty list "
            "of ADDRESS:PORT of app hosts (got %s)." % (_text(upstream['name']), _show(servers)))


def content_sites(sites):
    """The present sites whose certificate is given as PEM text (tls.source content)."""
    return [site for site in _present(sites) if _tls(site).get('source') == 'content']


def _checkable(site):
    """Whether a content site passed its own check (a PEM certificate and a key given):
    only then are they read."""
    tls = _tls(site)
    return _PEM_CERTIFICATE in _given(tls.get('certificate')) and len(_given(tls.get('key'))) > 0


def read_certificate(pem):
    """What the checks need of a PEM certificate (the first one in the text): its public key
    (DER), its validity dates (UTC) and its OCSP responder's URI (or None)."""
    cert = x509.load_pem_x509_certificate(_text(pem).encode('utf-8'))
    ocsp_uri = None
    try:
        for desc in cert.extensions.get_extension_for_class(x509.AuthorityInformationAccess).value:
            if (desc.access_method == AuthorityInformationAccessOID.OCSP
                    and isinstance(desc.access_location, x509.UniformResourceIdentifier)):
                ocsp_uri = desc.access_location.value
                break
    except x509.ExtensionNotFound:
        pass
    return {
        'public_key': _public_der(cert.public_key()),
        'not_before': cert.not_valid_before_utc,
        'not_after': cert.not_valid_after_utc,
        'ocsp_uri': ocsp_uri,
    }


def key_public_key(pem):
    """The public key (DER) of a PEM private key without a passphrase."""
    return _public_der(serialization.load_pem_private_key(_text(pem).encode('utf-8'), password=None).public_key())


def _public_der(public_key):
    return public_key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


def stapling_sites(sites, certificates):
    """The sites that staple OCSP answers, as the role's __nginx_stapling_sites (which the
    site template reads) lists them: a given certificate with its chain whose certificate
    names an OCSP responder, then every TLS site given a chain_path.
    certificates: {site name: read_certificate()} of the content sites that could be read."""
    stapling = [site['name'] for site in content_sites(sites)
                if len(_given(_tls(site).get('chain'))) > 0
                and (certificates.get(site['name']) or {}).get('ocsp_uri')]
    return stapling + [site['name'] for site in _present(sites) if _tls(site) and _tls(site).get('chain_path')]


class CryptographyMissing(RuntimeError):
    """A given certificate is to be read, and the cryptography package is not there."""


def _unreadable(sites):
    """Read the checkable content sites' certificates and keys: ({name: certificate},
    {name: key's public key}, messages naming what could not be read)."""
    certificates, keys, refused = {}, {}, []
    for site in content_sites(sites):
        if not _checkable(site):
            continue
        if CRYPTOGRAPHY_IMPORT_ERROR is not None:
            raise CryptographyMissing(
                "nginx_sites entry '%s': reading tls.certificate and tls.key needs the Python package cryptography "
                "on the controller (%s)." % (_text(site['name']), CRYPTOGRAPHY_IMPORT_ERROR))
        tls = _tls(site)
        try:
            certificates[site['name']] = read_certificate(tls['certificate'])
        except (ValueError, UnsupportedAlgorithm) as exc:
            refused.append("nginx_sites entry '%s': tls.certificate cannot be read as a PEM certificate (%s)."
                           % (_text(site['name']), exc))
        try:
            keys[site['name']] = key_public_key(tls['key'])
        except (ValueError, TypeError, UnsupportedAlgorithm):
            # Nothing read from a key is printed.
            refused.append("nginx_sites entry '%s': tls.key cannot be read as a PEM private key without a passphrase."
                           % _text(site['name']))
    return certificates, keys, refused


def settings_refusals(sites, upstreams, host_values, log_format_main, limit_req, limit_req_zones, catch_all,
                      resolvers, tls_min_days_left, now=None, read=None):
    """The settings as a whole: each failed entry's message, in the table's order.
    host_values: the host-wide values nginx.conf and the sites are written from (the values
    of limit_req_zones are added here). now: an aware datetime (UTC now by default).
    read: what _unreadable(sites) answers, when the caller has read it already."""
    refused = []
    present = _present(sites)

    # Nginx would warn ("conflicting server name ... ignored") and serve only the first.
    names = [n for n in _flatten([site['server_name'] for site in present]) if n != '_']
    if len(unique(names)) != len(names):
        refused.append("nginx_sites: %s claimed by more than one site; Nginx would warn and serve only the first."
                       % _show(duplicates(names)))

    values = list(host_values) + [v for zone in limit_req_zones for v in zone.values()]
    bad_values = [_text(v) for v in values if _searches(_HOST_VALUE_BAD, v)]
    bad_log_format = _searches(_LOG_FORMAT_BAD, log_format_main)
    if bad_values or bad_log_format:
        refused.append(
            "These nginx_* values hold ; { } # a quote or a newline, which would end a directive, open a block or "
            "start a comment in nginx.conf: %s %s."
            % (_show(bad_values), '(and nginx_log_format_main holds ; { } or a newline)' if bad_log_format else ''))

    upstream_names = [u['name'] for u in upstreams]
    if len(unique(upstream_names)) != len(upstream_names):
        refused.append("nginx_upstreams: two entries share a name (%s)." % _show(upstream_names))

    site_names = [site['name'] for site in sites]
    if len(unique(site_names)) != len(site_names):
        refused.append("nginx_sites: two entries share a name (%s)." % _show(site_names))

    zone_names = [zone['name'] for zone in limit_req_zones]
    if limit_req['zone'] not in zone_names:
        refused.append("nginx_limit_req zone '%s' is not one of nginx_limit_req_zones (%s)."
                       % (_text(limit_req['zone']), _show(zone_names)))

    if catch_all and [site for site in present if site.get('default_server')]:
        refused.append("nginx_catch_all is on, so no nginx_sites entry may set default_server: true "
                       "(turn one of them off).")

    # On the controller, where the PEM text is: what cannot be read, a key that is not the
    # certificate's or dates that do not fit would otherwise be found by `nginx -t` (or by
    # browsers) only after the files were written.
    certificates, keys, unreadable = read or _unreadable(sites)
    refused.extend(unreadable)

    # Stapling is on for a given certificate whose issuer names an OCSP responder (many no
    # longer do: Let's Encrypt stopped in 2025, and Nginx warns about stapling without one).
    stapling = stapling_sites(sites, certificates)
    if stapling and not resolvers:
        refused.append(
            "nginx_sites %s staple OCSP answers (a given chain whose certificate names an OCSP responder, or a "
            "chain_path): set nginx_resolvers (e.g. [127.0.0.53]) so Nginx can reach it." % _show(stapling))

    read = [site['name'] for site in content_sites(sites) if site['name'] in certificates and site['name'] in keys]
    mismatched = [name for name in read if certificates[name]['public_key'] != keys[name]]
    if mismatched:
        refused.append("nginx_sites %s: tls.key is not the private key of tls.certificate."
                       % ', '.join(_text(n) for n in mismatched))

    # An expired certificate, or one not yet valid, would replace a working one and every
    # browser would refuse the site.
    now = (now or datetime.datetime.now(datetime.timezone.utc)).replace(microsecond=0)
    until = now + datetime.timedelta(days=tls_min_days_left)
    dated = [site['name'] for site in content_sites(sites) if site['name'] in certificates]
    bad_dates = ([name for name in dated if certificates[name]['not_before'] > now]
                 + [name for name in dated if certificates[name]['not_after'] < until])
    if bad_dates:
        refused.append(
            "nginx_sites %s: each certificate must be valid from before now (%s) until after %s "
            "(nginx_tls_min_days_left %s); got (site, not before, not after) %s."
            % (_show(bad_dates), now.strftime(TIMESTAMP_FORMAT), until.strftime(TIMESTAMP_FORMAT), tls_min_days_left,
               _show([[name, certificates[name]['not_before'].strftime(TIMESTAMP_FORMAT),
                       certificates[name]['not_after'].strftime(TIMESTAMP_FORMAT)] for name in bad_dates])))
    return refused


def _flatten(values):
    """Ansible's `flatten` filter: nested lists made one, nulls dropped."""
    flat = []
    for value in values:
        if value in (None, 'None', 'null'):
            continue
        flat.extend(_flatten(value) if isinstance(value, (list, tuple)) else [value])
    return flat


def check(sites, upstreams, host_values, log_format_main, limit_req, limit_req_zones, catch_all, resolvers,
          tls_min_days_left, now=None):
    """What the nginx_check action answers: `refused`, every refusal (as refusals() lists
    them), and `stapling`, the sites that staple OCSP answers (stapling_sites()), which the
    role's site template reads, so the rule is written here only."""
    read = _unreadable(sites)
    upstream_names = [u['name'] for u in upstreams]
    refused = []
    for site in _present(sites):
        checks = site_refusals(site, upstream_names)
        if checks:
            refused.append(' '.join(checks))
    refused.extend(m for m in (upstream_refusal(u) for u in upstreams) if m)
    refused.extend(settings_refusals(sites, upstreams, host_values, log_format_main, limit_req, limit_req_zones,
                                     catch_all, resolvers, tls_min_days_left, now, read))
    return {'refused': refused, 'stapling': stapling_sites(sites, read[0])}


def refusals(sites, upstreams, host_values, log_format_main, limit_req, limit_req_zones, catch_all, resolvers,
             tls_min_days_left, now=None):
    """Every refusal, in the order the three tasks named them: each present site's failed
    checks as one message (joined by a space), each refused upstream, then the settings
    as a whole. sites: every site, its optional keys filled in (the role's __nginx_sites)."""
    return check(sites, upstreams, host_values, log_format_main, limit_req, limit_req_zones, catch_all, resolvers,
                 tls_min_days_left, now)['refused']
