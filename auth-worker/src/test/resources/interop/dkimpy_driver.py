"""Drives dkimpy for Postbus's interop tests, with DNS answered from a JSON file (no network).

  verify <records.json> < message      one JSON line per DKIM-Signature: {"index": i, "pass": bool}
  sign <key-file> <selector> <domain> <algorithm> <header>/<body> < message
                                       the message with dkimpy's DKIM-Signature on top

records.json maps "selector._domainkey.domain" (no trailing dot) to the TXT value.
"""
import json
import sys

import dkim


def dns_from(path):
    with open(path, encoding="utf-8") as f:
        records = {k.lower().rstrip("."): v for k, v in json.load(f).items()}

    def dnsfunc(name, timeout=5):
        if isinstance(name, bytes):
            name = name.decode("ascii")
        value = records.get(name.lower().rstrip("."))
        return None if value is None else value.encode("ascii")

    return dnsfunc


def verify(records_path):
    message = sys.stdin.buffer.read()
    dnsfunc = dns_from(records_path)
    d = dkim.DKIM(message)
    count = sum(1 for name, _ in d.headers if name.lower() == b"dkim-signature")
    for i in range(count):
        try:
            ok = bool(dkim.DKIM(message).verify(idx=i, dnsfunc=dnsfunc))
            error = ""
        except dkim.DKIMException as e:
            ok, error = False, str(e)
        print(json.dumps({"index": i, "pass": ok, "error": error}))


def sign(key_path, selector, domain, algorithm, canonicalization):
    message = sys.stdin.buffer.read()
    with open(key_path, "rb") as f:
        key = f.read()
    header, body = canonicalization.split("/")
    signature = dkim.sign(message, selector.encode(), domain.encode(), key,
                          canonicalize=(header.encode(), body.encode()),
                          signature_algorithm=algorithm.encode(), linesep=b"\r\n")
    sys.stdout.buffer.write(signature + message)


if __name__ == "__main__":
    if sys.argv[1] == "verify":
        verify(sys.argv[2])
    elif sys.argv[1] == "sign":
        sign(*sys.argv[2:7])
    else:
        sys.exit("unknown command " + sys.argv[1])
