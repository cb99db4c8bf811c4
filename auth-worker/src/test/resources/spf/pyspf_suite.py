#!/usr/bin/python3
"""Evaluate every test of an OpenSPF YAML suite with pyspf and print the verdicts as JSON.

Usage: pyspf_suite.py SUITE.yml

DNS is served from each scenario's zonedata by replacing pyspf's lookup hook (spf.DNSLookup),
as pyspf's own runner test/testspf.py does, with the same reading of the data:
  * SPF entries are also TXT records, unless the name lists TXT entries; "TXT: NONE" = no TXT;
  * a list of strings is one record of several character-strings;
  * a bare TIMEOUT makes queries for the name time out unless a record of the asked type
    comes first; names not listed do not exist; a CNAME is returned with its target's records.
Every test runs as a plain receiver would: strict=True, receiver "unknown" (pyspf's default),
default explanation "DEFAULT". Output: one JSON array of
  {"scenario": index, "test": name, "result": ..., "explanation": ..., "mechanism": ...}
where mechanism is the top-level directive that matched (null when none did).
"""
import json
import socket
import sys

try:
    import spf
    import yaml
except ImportError as e:
    sys.exit("pyspf_suite.py needs the Debian packages python3-spf and python3-yaml: %s" % e)

ZONE = {}


def records(entries, name):
    """The zonedata list of one name as (type, value) pairs in order, TIMEOUT kept as a marker."""
    out, spf_as_txt, txt_listed = [], [], False
    for entry in entries:
        if entry == 'TIMEOUT':
            out.append(('TIMEOUT', None))
            continue
        (rtype, value), = entry.items()
        if rtype in ('TXT', 'SPF'):
            strings = tuple(value) if isinstance(value, list) else (value,)
            if rtype == 'TXT':
                txt_listed = True
                if strings != ('NONE',):
                    out.append(('TXT', strings))
            elif strings != ('NONE',):
                spf_as_txt.append(('TXT', strings))
        else:
            out.append((rtype, value))
    if not txt_listed:
        out.extend(spf_as_txt)  # after any TIMEOUT, as testspf.py appends them
    return out


def lookup(name, qtype, strict=True, timeout=None, level=0):
    """pyspf's DNS hook: yields ((name, type), value) in pydns's shapes, or raises spf.TempError."""
    name = '.'.join(label for label in name.split('.') if label)
    entries = ZONE.get(name.lower())
    if entries is None:
        return
    answered = False
    for rtype, value in entries:
        if rtype == 'TIMEOUT':
            if not answered:
                raise spf.TempError('DNS timeout')
            return
        if rtype == qtype:
            answered = True
        if rtype == 'AAAA':
            value = socket.inet_pton(socket.AF_INET6, value)
        elif rtype == 'TXT':
            value = tuple(s.encode('utf-8') for s in value)
        elif rtype == 'MX':
            value = (value[0], value[1])
        yield ((name, rtype), value)
        if rtype == 'CNAME' and not level:
            yield from lookup(value, qtype, strict, timeout, level + 1)


def main(path):
    global ZONE
    spf.DNSLookup = lookup
    results = []
    with open(path, 'rb') as f:
        for index, scenario in enumerate(d for d in yaml.safe_load_all(f) if d):
            ZONE = {n.lower(): records(e, n) for n, e in scenario['zonedata'].items()}
            for test, t in scenario['tests'].items():
                q = spf.query(i=t['host'], s=t['mailfrom'], h=t['helo'], strict=True)
                q.set_default_explanation('DEFAULT')
                result, _code, explanation = q.check()
                results.append({'scenario': index, 'test': test, 'result': result,
                                'explanation': explanation, 'mechanism': q.mechanism})
    json.dump(results, sys.stdout, indent=0)


if __name__ == '__main__':
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
