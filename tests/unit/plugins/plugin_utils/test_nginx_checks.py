"""The nginx role's checks (plugins/plugin_utils/nginx_checks.py, run by the action plugin
nginx_check): each refuses its bad value with the message the role's assert tasks printed,
word for word, and the demo's settings (the role's defaults, the demo's site) pass."""

import datetime
import os

import pytest
import yaml
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import AuthorityInformationAccessOID, NameOID

from ansible_collections.pywebstack.webstack.plugins.plugin_utils import nginx_checks as checks

ROLE = os.path.join(os.path.dirname(__file__), '..', '..', '..', '..', 'roles', 'nginx')
with open(os.path.join(ROLE, 'defaults', 'main.yml'), encoding='utf-8') as _handle:
    DEFAULTS = yaml.safe_load(_handle)

NOW = datetime.datetime(2026, 12, 7, 4, 4, 28, tzinfo=datetime.timezone.utc)
DAY = datetime.timedelta(days=1)
FIRST_CHECK = (
    "the name must be a plain file name; server_name host names (not addresses like the article's 0.0.0.0) or a "
    "regex (~...) without spaces, ; { } quotes or # (got %s); uwsgi_pass unix:/path, host:port or the name of one "
    "of nginx_upstreams (got '%s'); listen ports or ADDRESS:PORT (got %s).")
SOCKET = 'unix:/run/uwsgi/demo/uwsgi.sock'


def site(**changes):
    """The demo's site as the role's __nginx_sites has it (its optional keys filled in)."""
    entry = {'listen': [80, '[::]:80'], 'default_server': False, 'static': [], 'unlimited': [], 'state': 'present',
             'server_name': ['_'], 'tls': {}, 'security_headers': DEFAULTS['nginx_security_headers'],
             'name': 'demo', 'uwsgi_pass': SOCKET}
    entry.update({'server_name': ['localhost'], 'unlimited': ['/healthz'],
                  'static': [{'location': '/static/', 'alias': '/srv/demo/current/demo/static/'}],
                  'tls': {'source': 'selfsigned', 'redirect_port': 443}})
    entry.update(changes)
    return entry


def host_values(**changes):
    """The host-wide values as validate.yml passes them, from the role's defaults."""
    values = dict(DEFAULTS, **changes)
    names = ['nginx_user', 'nginx_worker_processes', 'nginx_error_log', 'nginx_error_log_level', 'nginx_pid',
             'nginx_event_use', 'nginx_access_log', 'nginx_client_max_body_size', 'nginx_proxy_buffer_size',
             'nginx_proxy_buffers', 'nginx_proxy_busy_buffers_size', 'nginx_uwsgi_buffer_size', 'nginx_uwsgi_buffers',
             'nginx_ssl_ciphers', 'nginx_ssl_ecdh_curve', 'nginx_ssl_session_timeout', 'nginx_ssl_session_cache',
             'nginx_tls_dir', 'nginx_acme_webroot', 'nginx_static_expires', 'nginx_uwsgi_next_upstream']
    return ([values[n] for n in names] + [values['nginx_limit_req']['zone']]
            + values['nginx_resolvers'] + values['nginx_ssl_protocols'])


def refusals(sites=None, **changes):
    """Every refusal for these sites and the role's defaults changed by `changes`."""
    args = {
        'sites': [site()] if sites is None else sites,
        'upstreams': DEFAULTS['nginx_upstreams'],
        'host_values': host_values(),
        'log_format_main': DEFAULTS['nginx_log_format_main'],
        'limit_req': DEFAULTS['nginx_limit_req'],
        'limit_req_zones': DEFAULTS['nginx_limit_req_zones'],
        'catch_all': DEFAULTS['nginx_catch_all'],
        'resolvers': DEFAULTS['nginx_resolvers'],
        'tls_min_days_left': DEFAULTS['nginx_tls_min_days_left'],
        'now': NOW,
    }
    args.update(changes)
    return checks.refusals(**args)


def _pem_key(key):
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode()


def _certificate(key, not_before, not_after, ocsp=None):
    """A throwaway certificate for `key`, signed by itself."""
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, 'localhost')])
    builder = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
               .serial_number(x509.random_serial_number()).not_valid_before(not_before).not_valid_after(not_after))
    if ocsp:
        builder = builder.add_extension(x509.AuthorityInformationAccess([x509.AccessDescription(
            AuthorityInformationAccessOID.OCSP, x509.UniformResourceIdentifier(ocsp))]), critical=False)
    return builder.sign(key, hashes.SHA256()).public_bytes(serialization.Encoding.PEM).decode()


@pytest.fixture(scope='module')
def pair():
    """A key and its certificate, valid from a day before NOW for 90 days, naming an OCSP responder."""
    key = ec.generate_private_key(ec.SECP256R1())
    return {'key': _pem_key(key), 'certificate': _certificate(key, NOW - DAY, NOW + 90 * DAY, 'http://127.0.0.1:8099/'),
            'private': key}


def content(pair, **changes):
    tls = {'source': 'content', 'certificate': pair['certificate'], 'key': pair['key']}
    tls.update(changes)
    return tls


# The settings that pass.

def test_the_demos_settings_pass():
    assert refusals() == []


def test_a_given_certificate_with_its_chain_and_resolvers_passes(pair):
    assert refusals([site(tls=content(pair, chain=pair['certificate']))], resolvers=['127.0.0.53']) == []


def test_a_site_may_pass_to_an_upstream_and_an_absent_site_is_not_checked():
    upstreams = [{'name': 'apps', 'servers': ['10.0.0.1:8700', '[fd00::1]:8700']}]
    sites = [site(uwsgi_pass='apps', listen=[443, '127.0.0.1:8080', '[::]:80', '*:81']),
             site(name='gone', server_name=['0.0.0.0'], state='absent')]
    assert refusals(sites, upstreams=upstreams) == []


# Each site's checks.

@pytest.mark.parametrize('changes, got', [
    ({'server_name': ['0.0.0.0']}, ("['0.0.0.0']", SOCKET, "[80, '[::]:80']")),
    ({'server_name': ['shop example.com']}, ("['shop example.com']", SOCKET, "[80, '[::]:80']")),
    ({'server_name': ['~.*; return 200 pwned;']}, ("['~.*; return 200 pwned;']", SOCKET, "[80, '[::]:80']")),
    ({'uwsgi_pass': 'appservers'}, ("['localhost']", 'appservers', "[80, '[::]:80']")),
    ({'listen': [80, '1.2.3.4:x']}, ("['localhost']", SOCKET, "[80, '1.2.3.4:x']")),
])
def test_names_back_end_and_listen_values_are_refused(changes, got):
    assert refusals([site(**changes)]) == ["nginx_sites entry 'demo': " + FIRST_CHECK % got]


def test_a_site_name_that_is_not_a_plain_file_name_is_refused():
    assert refusals([site(name='../demo')]) == [
        "nginx_sites entry '../demo': " + FIRST_CHECK % ("['localhost']", SOCKET, "[80, '[::]:80']")]


def test_a_static_location_without_the_slash_its_alias_has_is_refused():
    static = [{'location': '/static', 'alias': '/srv/demo/current/demo/static/'}]
    assert refusals([site(static=static)]) == [
        "nginx_sites entry 'demo': each static location and its alias must both end with a slash or both not "
        "(got [['/static', '/srv/demo/current/demo/static/']]), and locations, aliases, unlimited paths and TLS file "
        "paths must be absolute paths of letters, digits and ._~/- only (unlimited: ['/healthz'], TLS files: [])."]


def test_unlimited_and_tls_paths_must_be_plain_absolute_paths():
    tls = {'source': 'path', 'certificate_path': '/etc/x y.pem', 'key_path': '/etc/k.pem'}
    assert refusals([site(unlimited=['/a b'], tls=tls)]) == [
        "nginx_sites entry 'demo': each static location and its alias must both end with a slash or both not "
        "(got [['/static/', '/srv/demo/current/demo/static/']]), and locations, aliases, unlimited paths and TLS file "
        "paths must be absolute paths of letters, digits and ._~/- only (unlimited: ['/a b'], "
        "TLS files: ['/etc/x y.pem', '/etc/k.pem'])."]


def test_a_given_certificate_without_its_key_is_refused(pair):
    assert refusals([site(tls={'source': 'content', 'certificate': pair['certificate']})]) == [
        "nginx_sites entry 'demo': tls.source content needs both tls.certificate and tls.key (PEM text; the key "
        "from vault): a certificate is useless without its key\n(certificate given: True, key given: False)."]


def test_a_certificate_path_without_its_key_path_is_refused():
    assert refusals([site(tls={'source': 'path', 'certificate_path': '/etc/c.pem'})]) == [
        "nginx_sites entry 'demo': tls.source path needs both tls.certificate_path and tls.key_path: a certificate "
        "is useless without its key\n(certificate given: True, key given: False)."]


def test_a_given_certificate_that_is_not_pem_is_refused_and_not_read(pair):
    assert refusals([site(tls={'source': 'content', 'certificate': 'nope', 'key': pair['key']})]) == [
        "nginx_sites entry 'demo': tls.source content needs both tls.certificate and tls.key (PEM text; the key "
        "from vault): a certificate is useless without its key\n(certificate given: True, key given: True)."]


def test_security_headers_nginx_cannot_write_are_refused_once_each_case_ignored():
    headers = [{'name': 'X-Test', 'value': 'say "hi"'}, {'name': 'X Bad', 'value': 'ok'},
               {'name': 'x-test', 'value': 'SAY "HI"'}, {'name': 'X-Path', 'value': 'a\\b'}]
    assert refusals([site(security_headers=headers)]) == [
        "security header X Bad, X-Test, X-Path: the name must be letters, digits and dashes and the value must not "
        "hold a double quote, backslash or newline (got ['ok', 'say \"hi\"', 'a\\\\b'])."]


def test_every_failed_check_of_a_site_is_named_in_one_message():
    refused = refusals([site(server_name=['0.0.0.0'], unlimited=['/a b'])])
    assert len(refused) == 1
    assert refused[0].startswith("nginx_sites entry 'demo': the name must be")
    assert " nginx_sites entry 'demo': each static location" in refused[0]


# Each upstream.

@pytest.mark.parametrize('upstream, got', [
    ({'name': 'apps', 'servers': ['0.0.0.0:8700']}, "['0.0.0.0:8700']"),
    ({'name': 'apps', 'servers': ['[::]:8700']}, "['[::]:8700']"),
    ({'name': 'apps', 'servers': ['10.0.0.1']}, "['10.0.0.1']"),
    ({'name': 'a pps', 'servers': []}, '[]'),
])
def test_an_upstream_on_every_interface_or_without_servers_is_refused(upstream, got):
    assert refusals(upstreams=[upstream]) == [
        "nginx_upstreams entry '%s': the name must be letters, digits, _ or -, and servers a non-empty list of "
        "ADDRESS:PORT of app hosts (got %s)." % (upstream['name'], got)]


# The settings as a whole.

def test_two_sites_claiming_one_server_name_are_refused():
    assert refusals([site(), site(name='other')]) == [
        "nginx_sites: ['localhost'] claimed by more than one site; Nginx would warn and serve only the first."]


def test_server_names_differing_only_in_case_are_one_name():
    assert refusals([site(), site(name='other', server_name=['LocalHost'])]) == [
        "nginx_sites: ['LocalHost'] claimed by more than one site; Nginx would warn and serve only the first."]


def test_a_host_wide_value_that_ends_its_directive_is_refused():
    assert refusals(host_values=host_values(nginx_client_max_body_size='20M; return 200 pwned')) == [
        "These nginx_* values hold ; { } # a quote or a newline, which would end a directive, open a block or start "
        "a comment in nginx.conf: ['20M; return 200 pwned'] ."]


def test_a_log_format_with_a_newline_and_a_zone_value_with_a_brace_are_refused():
    zones = [{'name': 'byip', 'key': '$binary_remote_addr}', 'size': '10m', 'rate': '3r/s'}]
    assert refusals(log_format_main="'$remote_addr'\n'x'", limit_req_zones=zones) == [
        "These nginx_* values hold ; { } # a quote or a newline, which would end a directive, open a block or start "
        "a comment in nginx.conf: ['$binary_remote_addr}'] (and nginx_log_format_main holds ; { } or a newline)."]


def test_two_upstreams_with_one_name_are_refused():
    upstreams = [{'name': 'apps', 'servers': ['10.0.0.1:8700']}, {'name': 'Apps', 'servers': ['10.0.0.2:8700']}]
    assert refusals(upstreams=upstreams) == ["nginx_upstreams: two entries share a name (['apps', 'Apps'])."]


def test_two_sites_with_one_name_are_refused_even_when_one_is_absent():
    sites = [site(), site(server_name=['other.example.com'], state='absent')]
    assert refusals(sites) == ["nginx_sites: two entries share a name (['demo', 'demo'])."]


def test_a_rate_limit_naming_no_zone_is_refused():
    assert refusals(limit_req={'zone': 'nope', 'burst': 1, 'nodelay': False}) == [
        "nginx_limit_req zone 'nope' is not one of nginx_limit_req_zones (['byip'])."]


def test_a_default_server_beside_the_catch_all_is_refused():
    assert refusals([site(default_server=True)]) == [
        "nginx_catch_all is on, so no nginx_sites entry may set default_server: true (turn one of them off)."]
    assert refusals([site(default_server=True)], catch_all=False) == []


def test_stapling_without_resolvers_is_refused(pair):
    by_path = site(name='bypath', server_name=['p.example.com'],
                   tls={'source': 'path', 'certificate_path': '/etc/c.pem', 'key_path': '/etc/k.pem',
                        'chain_path': '/etc/ch.pem'})
    assert refusals([site(tls=content(pair, chain=pair['certificate'])), by_path]) == [
        "nginx_sites ['demo', 'bypath'] staple OCSP answers (a given chain whose certificate names an OCSP "
        "responder, or a chain_path): set nginx_resolvers (e.g. [127.0.0.53]) so Nginx can reach it."]


def test_the_check_names_the_stapling_sites_the_template_reads(pair):
    by_path = site(name='bypath', server_name=['p.example.com'],
                   tls={'source': 'path', 'certificate_path': '/etc/c.pem', 'key_path': '/etc/k.pem',
                        'chain_path': '/etc/ch.pem'})
    no_chain = site(name='nochain', server_name=['n.example.com'], tls=content(pair))
    gone = site(name='gone', server_name=['g.example.com'], state='absent', tls=content(pair, chain=pair['certificate']))
    names = ('upstreams', 'log_format_main', 'limit_req', 'limit_req_zones', 'catch_all', 'tls_min_days_left')
    args = {name: DEFAULTS['nginx_' + name] for name in names}
    found = checks.check([site(tls=content(pair, chain=pair['certificate'])), by_path, no_chain, gone],
                         host_values=host_values(), resolvers=['127.0.0.53'], now=NOW, **args)
    assert found == {'refused': [], 'stapling': ['demo', 'bypath']}


def test_a_chain_without_an_ocsp_responder_or_a_certificate_without_a_chain_staples_nothing(pair):
    key = ec.generate_private_key(ec.SECP256R1())
    plain = {'source': 'content', 'certificate': _certificate(key, NOW - DAY, NOW + 90 * DAY), 'key': _pem_key(key)}
    sites = [site(tls=dict(plain, chain=pair['certificate'])),
             site(name='other', server_name=['o.example.com'], tls=content(pair))]
    assert checks.stapling_sites(sites, {'demo': checks.read_certificate(plain['certificate']),
                                         'other': checks.read_certificate(pair['certificate'])}) == []
    assert refusals(sites) == []


def test_a_key_that_is_not_the_certificates_is_refused_and_never_printed(pair):
    other = _pem_key(ec.generate_private_key(ec.SECP256R1()))
    refused = refusals([site(tls=content(pair, key=other))])
    assert refused == ["nginx_sites demo: tls.key is not the private key of tls.certificate."]


def test_an_expired_certificate_is_refused(pair):
    certificate = _certificate(pair['private'], NOW - 30 * DAY, NOW - 2 * DAY)
    assert refusals([site(tls=content(pair, certificate=certificate))]) == [
        "nginx_sites ['demo']: each certificate must be valid from before now (20261207040428Z) until after "
        "20261214040428Z (nginx_tls_min_days_left 7); got (site, not before, not after) "
        "[['demo', '20261107040428Z', '20261205040428Z']]."]


def test_a_certificate_not_yet_valid_and_too_short_is_named_for_both(pair):
    certificate = _certificate(pair['private'], NOW + 2 * DAY, NOW + 3 * DAY)
    assert refusals([site(tls=content(pair, certificate=certificate))], tls_min_days_left=30) == [
        "nginx_sites ['demo', 'demo']: each certificate must be valid from before now (20261207040428Z) until after "
        "20270106040428Z (nginx_tls_min_days_left 30); got (site, not before, not after) "
        "[['demo', '20261209040428Z', '20261210040428Z'], ['demo', '20261209040428Z', '20261210040428Z']]."]


def test_a_certificate_valid_from_now_until_exactly_the_days_left_passes(pair):
    certificate = _certificate(pair['private'], NOW, NOW + 7 * DAY)
    assert refusals([site(tls=content(pair, certificate=certificate))], now=NOW + datetime.timedelta(seconds=0.5)) == []


def test_a_certificate_or_key_that_cannot_be_read_is_refused_without_the_keys_text(pair):
    broken = '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'
    refused = refusals([site(tls=content(pair, certificate=broken, key='not a key'))])
    assert len(refused) == 2
    assert refused[0].startswith("nginx_sites entry 'demo': tls.certificate cannot be read as a PEM certificate (")
    assert refused[1] == "nginx_sites entry 'demo': tls.key cannot be read as a PEM private key without a passphrase."


def test_every_refusal_is_named_in_order_sites_upstreams_settings():
    refused = refusals([site(server_name=['0.0.0.0'])], upstreams=[{'name': 'apps', 'servers': []}],
                       limit_req={'zone': 'nope'})
    assert [m.split(' ', 2)[:2] for m in refused] == [
        ['nginx_sites', 'entry'], ['nginx_upstreams', 'entry'], ['nginx_limit_req', 'zone']]


def test_values_are_printed_as_a_template_prints_them():
    class Tagged(str):
        def __repr__(self):
            return 'Tagged(%s)' % str.__repr__(self)

    assert checks.plain({'a': (Tagged('x'), 1, True, None)}) == {'a': ['x', 1, True, None]}
    assert repr(checks.plain([Tagged('x')])) == "['x']"


def test_without_cryptography_a_given_certificate_is_an_error_not_a_pass(pair, monkeypatch):
    monkeypatch.setattr(checks, 'CRYPTOGRAPHY_IMPORT_ERROR', ImportError('No module named cryptography'))
    assert refusals() == []
    with pytest.raises(checks.CryptographyMissing, match="nginx_sites entry 'demo': reading tls.certificate"):
        refusals([site(tls=content(pair))])
